package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code save} and {@code push} of pulled images, in the order a user goes: pull from a registry, save to an archive
 * for an air-gapped host (several images in one, by the names {@code images list} shows), install there from the
 * archive, push to another registry. The config and its DiffIDs are the pulled ones (layers rebuilt byte for byte
 * from their tar-split records), checked with skopeo.
 */
class SaveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static void ok(Exec.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private static String sha256(String text) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private JsonNode skopeoJson(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(Peers.require("skopeo").toString()));
    cmd.addAll(List.of(args));
    Exec.Result r = Exec.run(cmd);
    ok(r);
    return JSON.readTree(r.stdout());
  }

  /** A store that keeps tar-split records: its repository made by a first pull, then configured. */
  private String rootKeepingTarSplit(String anyImage) throws Exception {
    String root = tmp.resolve("root").toString();
    ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root, anyImage));
    Path config = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree/config");
    Files.writeString(config, Files.readString(config) + "\n[syscontainers]\nkeep-tar-split=true\n");
    return root;
  }

  @Test
  void withKeptBlobsSaveAndPushKeepTheManifestDigestAndPruneRemovesThem() throws Exception {
    TestImage hello = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"));
        DockerRegistry second = DockerRegistry.start(tmp.resolve("reg2"))) {
      RegistryPusher pusher = new RegistryPusher(registry.address());
      pusher.push("samples/hello", "1", hello);
      pusher.push("samples/first", "0", TestImage.builder().layer(LayerBuilder.layer().file("x", "x\n", 0644)).build());
      String root = tmp.resolve("root").toString();
      ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root, "docker://" + registry.address()
          + "/samples/first:0"));
      Path config = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree/config");
      Files.writeString(config, Files.readString(config) + "\n[syscontainers]\nkeep-blobs=true\n");
      String name = registry.address() + "/samples/hello:1";
      ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root, "docker://" + name));
      Path kept = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree/extensions/syscontainers/blobs/sha256");
      assertThat(kept.resolve(hello.layers().get(0).digest().substring(7))).exists();

      // the image as pulled: an oci-archive and a second registry get the registry's manifest, digest and all
      Path archive = tmp.resolve("kept.tar");
      ok(Launcher.run("save", "-q", "--root", root, "--format", "oci-archive", "-o", archive.toString(), name));
      Exec.Result raw = Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw", "oci-archive:"
          + archive));
      ok(raw);
      assertThat(sha256(raw.stdout())).isEqualTo(hello.manifest().digest());
      String pushed = second.address() + "/kept/hello:1";
      ok(Launcher.run("push", "-q", "--root", root, "--tls-verify=false", name, "docker://" + pushed));
      Exec.Result pushedRaw = Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw",
          "--tls-verify=false", "docker://" + pushed));
      ok(pushedRaw);
      assertThat(sha256(pushedRaw.stdout())).isEqualTo(hello.manifest().digest());

      // fsck hashes the kept blobs: a changed one is named, --repair drops its layer, the next pull keeps it again
      Path blob = kept.resolve(hello.layers().get(0).digest().substring(7));
      byte[] bytes = Files.readAllBytes(blob);
      bytes[bytes.length / 2] ^= 1;
      Files.write(blob, bytes);
      Exec.Result damaged = Launcher.run("fsck", "--root", root);
      assertThat(damaged.exitCode()).isNotZero();
      assertThat(damaged.output()).contains("kept compressed blob");
      ok(Launcher.run("fsck", "--repair", "--root", root));
      ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root, "docker://" + name));
      Exec.Result clean = Launcher.run("fsck", "--root", root);
      ok(clean);
      assertThat(clean.stdout()).contains("no errors found");

      // deleted and pruned: the kept blobs go with the layers; ostree fsck finds the repository clean
      ok(Launcher.run("-y", "images", "delete", "--root", root, name));
      ok(Launcher.run("images", "prune", "--root", root));
      try (java.util.stream.Stream<Path> left = Files.list(kept)) {
        assertThat(left).isEmpty();
      }
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo="
          + tmp.resolve("root/var/lib/containers/atomic/.storage/ostree")));
      ok(fsck);
    }
  }

  @Test
  void pulledImagesSaveToOneArchiveWithTheirConfigsInstallFromItAndPushElsewhere() throws Exception {
    TestImage hello = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    TestImage other = TestImage.builder().layer(LayerBuilder.layer().file("app/other", "other\n", 0644)).build();
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"));
        DockerRegistry second = DockerRegistry.start(tmp.resolve("reg2"))) {
      RegistryPusher pusher = new RegistryPusher(registry.address());
      pusher.push("samples/hello", "1", hello);
      pusher.push("samples/other", "2", other);
      pusher.push("samples/first", "0", TestImage.builder().layer(LayerBuilder.layer().file("x", "x\n", 0644)).build());
      String root = rootKeepingTarSplit("docker://" + registry.address() + "/samples/first:0");

      // without a record (the first image was pulled before keep-tar-split was set): saved from its files, with a
      // warning that its DiffIDs and config digest are new; the tree is the same
      Path none = tmp.resolve("none.tar");
      Exec.Result noRecord = Launcher.run("save", "--root", root, "-o", none.toString(), registry.address()
          + "/samples/first:0");
      ok(noRecord);
      assertThat(Launcher.lines(noRecord.stderr())).singleElement().asString()
          .contains("stored without a tar-split record").contains("keep-tar-split=true");
      String host0 = tmp.resolve("host0").toString();
      ok(Launcher.run("install", "--system", "--name", "first", "--root", host0, "docker-archive:" + none));
      assertThat(tmp.resolve("host0/var/lib/containers/atomic/first.0/rootfs/x")).hasContent("x");

      ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root, "docker://" + registry.address()
          + "/samples/hello:1"));
      // a store that keeps large records in files of their own (every record, with a limit of 0): the other image's
      Path repoConfig = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree/config");
      Files.writeString(repoConfig, Files.readString(repoConfig) + "tar-split-inline-max=0\n");
      ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root, "docker://" + registry.address()
          + "/samples/other:2"));
      String otherLayer = other.layers().get(0).digest().substring("sha256:".length());
      assertThat(tmp.resolve("root/var/lib/containers/atomic/.storage/ostree/extensions/syscontainers/tar-split/sha256/"
          + otherLayer)).isRegularFile();

      Path archive = tmp.resolve("images.tar");
      Exec.Result save = Launcher.run("save", "--root", root, "-o", archive.toString(),
          registry.address() + "/samples/hello:1", registry.address() + "/samples/other:2");
      ok(save);
      assertThat(save.stdout()).contains("Saved 2 images to " + archive + " (docker-archive)");

      // skopeo reads each image by its RepoTag, with the config and DiffIDs it had in the registry
      for (String[] image : List.of(new String[] {"samples/hello:1", hello.config().digest()},
          new String[] {"samples/other:2", other.config().digest()})) {
        String ref = "docker-archive:" + archive + ":" + registry.address() + "/" + image[0];
        Exec.Result config = Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--config", "--raw", ref));
        ok(config);
        assertThat(sha256(config.stdout())).as(image[0]).isEqualTo(image[1]);
      }
      JsonNode manifestJson = JSON.readTree(Exec.run(List.of("tar", "-xOf", archive.toString(), "manifest.json"))
          .stdout());
      assertThat(manifestJson).hasSize(2);

      // the air-gapped host installs from the archive by the name the image had
      String host = tmp.resolve("host").toString();
      ok(Launcher.run("install", "--system", "--name", "hello", "--root", host,
          "docker-archive:" + archive + ":" + registry.address() + "/samples/hello:1"));
      assertThat(tmp.resolve("host/var/lib/containers/atomic/hello.0/rootfs/hello/hello.sh")).exists();

      // push to another registry: same config, layers compressed again
      String pushed = second.address() + "/carried/hello:1";
      Exec.Result push = Launcher.run("push", "--root", root, "--tls-verify=false",
          registry.address() + "/samples/hello:1", "docker://" + pushed);
      ok(push);
      JsonNode inspected = skopeoJson("inspect", "--raw", "--tls-verify=false", "docker://" + pushed);
      assertThat(inspected.path("config").path("digest").asText()).isEqualTo(hello.config().digest());

      // copy ostree:NAME is the same export, to any transport
      Path layout = tmp.resolve("layout");
      ok(Launcher.run("copy", "-q", "--root", root, "ostree:" + registry.address() + "/samples/other:2",
          "oci:" + layout + ":o"));
      JsonNode ociManifest = skopeoJson("inspect", "--raw", "oci:" + layout + ":o");
      assertThat(ociManifest.path("config").path("digest").asText()).isEqualTo(other.config().digest());
      // its layer rebuilt from the record file: the DiffID of the config
      String layerHex = ociManifest.path("layers").path(0).path("digest").asText().substring("sha256:".length());
      byte[] tar;
      try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
          Files.newInputStream(layout.resolve("blobs/sha256/" + layerHex)))) {
        tar = in.readAllBytes();
      }
      JsonNode otherConfig = JSON.readTree(Files.readAllBytes(
          layout.resolve("blobs/sha256/" + other.config().digest().substring("sha256:".length()))));
      assertThat(LayerBuilder.sha256(tar)).isEqualTo(otherConfig.path("rootfs").path("diff_ids").path(0).asText());
      // and skopeo's ostree:NAME@/REPO names the repository itself
      Path repo = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree");
      Path layout2 = tmp.resolve("layout2");
      ok(Launcher.run("copy", "-q", "ostree:" + registry.address() + "/samples/other:2@" + repo, "oci:" + layout2
          + ":o"));
      assertThat(skopeoJson("inspect", "--raw", "oci:" + layout2 + ":o").path("config").path("digest").asText())
          .isEqualTo(other.config().digest());
    }
  }
}
