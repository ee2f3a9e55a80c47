package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull from a real docker-registry on loopback, then install the pulled image by name. */
class RegistryPullIT {
  @TempDir Path tmp;

  @Test
  void pullsFromARealRegistryAndInstallsByName() throws Exception {
    Peers.requireRoot();
    TestImage sample = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    Path root = tmp.resolve("root");
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      new RegistryPusher(registry.address()).push("samples/hello", "1", sample);
      String image = registry.address() + "/samples/hello:1";

      Exec.Result secure = Launcher.run("pull", "--root", root.toString(), "docker://" + image);
      assertThat(secure.exitCode()).isNotZero();
      assertThat(Launcher.lines(secure.stderr())).singleElement().asString().contains("--tls-verify=false");

      Exec.Result pull =
          Launcher.run("pull", "--tls-verify=false", "--root", root.toString(), "docker://" + image);
      assertThat(pull.exitCode()).as(pull.output()).isZero();
      assertThat(pull.stdout()).contains("Pulled " + image);
      // not a terminal: one line per step, as skopeo prints them
      String layer = sample.layers().get(0).digest().substring(7, 19);
      assertThat(pull.stdout()).contains("Copying blob " + layer + " (").contains("Copying blob " + layer + " done");

      Exec.Result install =
          Launcher.run("install", "--system", "--name", "fromreg", "--root", root.toString(), image);
      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(install.stdout()).contains("Extracting to /var/lib/containers/atomic/fromreg.0");
      Path d = root.resolve("var/lib/containers/atomic/fromreg.0");
      assertThat(d.resolve("rootfs/hello/hello.sh")).exists();
      assertThat(Files.readString(d.resolve("info")))
          .contains("\"image\": \"" + image + "\"")
          .contains("\"revision\": \"" + sample.manifest().digest().substring(7) + "\"");

      Path repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo));
      assertThat(fsck.output()).contains("no errors found");

      // a second pull of the same image transfers no blob and no manifest: one HEAD is all the traffic
      long blobGets = count(registry.log(), "\"GET /v2/", "/blobs/sha256:");
      long manifestGets = count(registry.log(), "\"GET /v2/", "/manifests/");
      assertThat(blobGets).as("the first pull fetched the layer and the config").isGreaterThanOrEqualTo(2);
      Exec.Result again =
          Launcher.run("pull", "--tls-verify=false", "--root", root.toString(), "docker://" + image);
      assertThat(again.exitCode()).as(again.output()).isZero();
      assertThat(again.stdout()).contains("Pulled " + image);
      String log = registry.log();
      assertThat(count(log, "\"GET /v2/", "/blobs/sha256:")).isEqualTo(blobGets);
      assertThat(count(log, "\"GET /v2/", "/manifests/")).isEqualTo(manifestGets);
      assertThat(count(log, "\"HEAD /v2/", "/manifests/")).isGreaterThanOrEqualTo(1);

      // by digest: the same image under a new name costs its manifest and config, no layer; pulled again, nothing
      String byDigest = registry.address() + "/samples/hello@" + sample.manifest().digest();
      Exec.Result pinned = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(), byDigest);
      assertThat(pinned.exitCode()).as(pinned.output()).isZero();
      assertThat(pinned.stdout()).contains("Pulled " + byDigest);
      assertThat(count(registry.log(), "\"GET /v2/", "/blobs/sha256:")).isEqualTo(blobGets + 1); // the config
      long requests = count(registry.log(), "\"", " /v2/");
      Exec.Result pinnedAgain = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(), byDigest);
      assertThat(pinnedAgain.exitCode()).as(pinnedAgain.output()).isZero();
      assertThat(count(registry.log(), "\"", " /v2/")).isEqualTo(requests);

      // --json: one object per event; --quiet: only the result
      Path root2 = tmp.resolve("root2");
      Exec.Result json = Launcher.run("pull", "--tls-verify=false", "--json", "--root", root2.toString(), image);
      assertThat(json.exitCode()).as(json.output()).isZero();
      assertThat(json.stdout()).contains("{\"event\":\"started\",\"digest\":\"" + sample.layers().get(0).digest() + "\"")
          .contains("{\"event\":\"verified\",\"digest\":\"" + sample.layers().get(0).digest() + "\"");
      Exec.Result quiet = Launcher.run("pull", "--tls-verify=false", "-q", "--root", tmp.resolve("root3").toString(), image);
      assertThat(quiet.exitCode()).as(quiet.output()).isZero();
      assertThat(Launcher.lines(quiet.stdout())).singleElement().asString().startsWith("Pulled " + image);
    }
  }

  @Test
  void pullsThePlatformsManifestOutOfAMultiPlatformIndex() throws Exception {
    Peers.requireRoot();
    TestImage amd64 = TestImage.builder().layer(LayerBuilder.layer().file("arch", "amd64\n", 0644)).build();
    TestImage arm64 =
        TestImage.builder().architecture("arm64").layer(LayerBuilder.layer().file("arch", "arm64\n", 0644)).build();
    TestImage attestation = TestImage.builder().layer(LayerBuilder.layer().file("att", "x", 0644)).build();
    Map<String, TestImage> images = new LinkedHashMap<>();
    images.put("unknown/unknown", attestation);
    images.put("linux/arm64/v8", arm64);
    images.put("linux/amd64", amd64);
    String root = tmp.resolve("root").toString();
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      new RegistryPusher(registry.address()).pushIndex("multi/app", "1", images);
      String image = registry.address() + "/multi/app:1";

      Exec.Result host = Launcher.run("pull", "--tls-verify=false", "--platform", "linux/amd64", "--root", root, image);
      assertThat(host.exitCode()).as(host.output()).isZero();
      assertThat(host.stdout()).contains(amd64.manifest().digest().substring(7, 19));

      Exec.Result arm = Launcher.run("pull", "--tls-verify=false", "--platform", "linux/arm64", "--root", root,
          registry.address() + "/multi/app:1");
      assertThat(arm.exitCode()).as(arm.output()).isZero();
      assertThat(arm.stdout()).contains(arm64.manifest().digest().substring(7, 19));

      Exec.Result none = Launcher.run("pull", "--tls-verify=false", "--platform", "linux/s390x", "--root", root, image);
      assertThat(none.exitCode()).isNotZero();
      assertThat(Launcher.lines(none.stderr())).singleElement().asString()
          .contains("No image for platform linux/s390x")
          .contains("linux/arm64/v8, linux/amd64")
          .doesNotContain("unknown")
          .contains("--platform");
    }
  }

  @Test
  void imagesUpdatePullsATagAgainAndSummarisesAll() throws Exception {
    Peers.requireRoot();
    TestImage v1 = TestImage.builder().layer(LayerBuilder.layer().file("v", "1\n", 0644)).build();
    TestImage v2 = TestImage.builder().layer(LayerBuilder.layer().file("v", "2\n", 0644)).build();
    String root = tmp.resolve("root").toString();
    Path archive = tmp.resolve("local.tar");
    v1.writeOciArchive(archive, "1");
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      RegistryPusher pusher = new RegistryPusher(registry.address());
      pusher.push("app", "1", v1);
      String image = registry.address() + "/app:1";
      assertThat(Launcher.run("pull", "--tls-verify=false", "--root", root, image).exitCode()).isZero();
      assertThat(Launcher.run("pull", "--root", root, "oci-archive:" + archive).exitCode()).isZero();
      pusher.push("app", "1", v2);

      Exec.Result one = Launcher.run("images", "update", "--tls-verify=false", "--root", root, image);
      assertThat(one.exitCode()).as(one.output()).isZero();
      assertThat(one.stdout()).contains("Pulled " + image + " (" + v2.manifest().digest().substring(7, 19) + ")");

      Exec.Result all = Launcher.run("images", "update", "--all", "--tls-verify=false", "--root", root);
      assertThat(all.exitCode()).as(all.output()).isZero();
      assertThat(all.stderr()).contains("Image local:1 not fully qualified: skipping");
      assertThat(all.stdout()).contains("Checking image " + image + "...").contains("\nSUMMARY\n");
      assertThat(all.stdout().lines().filter(l -> l.startsWith(image + " ")).findFirst().orElseThrow().strip())
          .endsWith("Updated");
      assertThat(Launcher.run("images", "update", "-f", "--root", root, image).stderr())
          .contains("--force is not supported by ostree images");
    }
  }

  @Test
  void theRootsRegistriesConfRewritesToALocationAndBlocks() throws Exception {
    Peers.requireRoot();
    TestImage image = TestImage.builder().layer(LayerBuilder.layer().file("f", "x\n", 0644)).build();
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("etc/containers"));
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      new RegistryPusher(registry.address()).push("real/app", "1", image);
      Files.writeString(root.resolve("etc/containers/registries.conf"), String.join("\n",
          "[[registry]]",
          "prefix = \"internal.example/app\"",
          "location = \"" + registry.address() + "/real/app\"",
          "insecure = true",
          "[[registry]]",
          "location = \"blocked.example\"",
          "blocked = true"));
      Exec.Result pull = Launcher.run("pull", "--root", root.toString(), "internal.example/app:1");
      assertThat(pull.exitCode()).as(pull.output()).isZero();
      assertThat(pull.stdout()).contains("Pulled internal.example/app:1");
      Exec.Result blocked = Launcher.run("pull", "--root", root.toString(), "blocked.example/x:1");
      assertThat(blocked.exitCode()).isNotZero();
      assertThat(Launcher.lines(blocked.stderr())).singleElement().asString()
          .contains("blocked by the entry for blocked.example in " + root.resolve("etc/containers/registries.conf"));
    }
  }

  @Test
  void aPullContinuesFromTheBytesAnEarlierPullKept() throws Exception {
    Peers.requireRoot();
    byte[] payload = new byte[3 << 20];
    new java.util.Random(7).nextBytes(payload);
    TestImage big = TestImage.builder().layer(LayerBuilder.layer().file("big", payload, 0644, 0, 0)).build();
    TestImage.Blob layer = big.layers().get(0);
    Path root = tmp.resolve("root");
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      RegistryPusher pusher = new RegistryPusher(registry.address());
      pusher.push("samples/hello", "1", SampleImage.build(Launcher.TOP.resolve("examples/hello")));
      pusher.push("samples/big", "1", big);
      String r = root.toString();
      assertThat(Launcher.run("pull", "--tls-verify=false", "--root", r, registry.address() + "/samples/hello:1").exitCode())
          .isZero();
      // what a pull killed half-way through the layer leaves in the repository
      Path partial = root.resolve(
          "var/lib/containers/atomic/.storage/ostree/tmp/partial-blobs/sha256-" + layer.digest().substring(7) + ".partial");
      Files.createDirectories(partial.getParent());
      int half = layer.data().length / 2;
      Files.write(partial, java.util.Arrays.copyOf(layer.data(), half));

      Exec.Result pull = Launcher.run("pull", "--tls-verify=false", "--root", r, registry.address() + "/samples/big:1");
      assertThat(pull.exitCode()).as(pull.output()).isZero();
      // the real registry answered the rest with 206, and only the rest
      assertThat(registry.log())
          .contains("\"GET /v2/samples/big/blobs/" + layer.digest() + " HTTP/1.1\" 206 " + (layer.data().length - half) + " ")
          .doesNotContain("\"GET /v2/samples/big/blobs/" + layer.digest() + " HTTP/1.1\" 200 ");
      assertThat(partial).doesNotExist();
      Path repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo));
      assertThat(fsck.output()).contains("no errors found");
      Exec.Result install = Launcher.run("install", "--system", "--name", "big", "--root", r, registry.address() + "/samples/big:1");
      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(root.resolve("var/lib/containers/atomic/big.0/rootfs/big")).hasBinaryContent(payload);
    }
  }

  private static long count(String log, String method, String path) {
    return log.lines().filter(l -> l.contains(method) && l.contains(path)).count();
  }
}
