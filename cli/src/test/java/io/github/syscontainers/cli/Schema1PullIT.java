package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.objectstore.RefNames;
import io.github.syscontainers.registry.ManifestParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed schema 1 manifest made and served by a real docker-registry: pulled by tag and by the registry's own
 * digest for it, stored converted to schema 2 (as skopeo stored such images for atomic), and installed.
 */
class Schema1PullIT {
  @TempDir Path tmp;

  @Test
  void pullsAndInstallsASchema1ImageFromARealRegistry() throws Exception {
    Peers.requireRoot();
    TestImage sample = SampleImage.build(Launcher.TOP.resolve("examples/hello")).asDockerSchema2();
    Path root = tmp.resolve("root");
    try (DockerRegistry registry = DockerRegistry.startWithSchema1(tmp.resolve("registry"))) {
      RegistryPusher pusher = new RegistryPusher(registry.address());
      pusher.push("samples/hello", "1", sample);
      RegistryPusher.Served v1 = pusher.republishAsSchema1("samples/hello", "1", "v1");
      assertThat(v1.contentType()).isEqualTo(MediaType.DOCKER_MANIFEST_V1_SIGNED);
      // the registry's digest for it is over the JWS payload, and so is ours
      assertThat(ManifestParser.digestOf(v1.body()).toString()).isEqualTo(v1.digest());

      String image = registry.address() + "/samples/hello:v1";
      Exec.Result pull = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(), "docker://" + image);
      assertThat(pull.exitCode()).as(pull.output()).isZero();
      assertThat(pull.stdout()).contains("Pulled " + image);

      Path repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo));
      assertThat(fsck.output()).contains("no errors found");
      Exec.Result shown =
          Exec.run(
              List.of(
                  Peers.require("ostree").toString(), "show", "--repo=" + repo,
                  "--print-metadata-key=docker.manifest", "ociimage/" + RefNames.encode(image)));
      assertThat(shown.exitCode()).as(shown.output()).isZero();
      String stored = shown.stdout().strip();
      JsonNode manifest = new ObjectMapper().readTree(stored.substring(1, stored.length() - 1).replace("\\\"", "\""));
      assertThat(manifest.path("schemaVersion").asInt()).isEqualTo(2);
      assertThat(manifest.path("layers").get(0).path("digest").asText()).isEqualTo(sample.layers().get(0).digest());

      Exec.Result install = Launcher.run("install", "--system", "--name", "fromv1", "--root", root.toString(), image);
      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(root.resolve("var/lib/containers/atomic/fromv1.0/rootfs/hello/hello.sh")).exists();
      Exec.Result info = Launcher.run("images", "info", "--root", root.toString(), image);
      assertThat(info.exitCode()).as(info.output()).isZero();
      assertThat(info.stdout()).contains("atomic.type: system");

      String pinned = registry.address() + "/samples/hello@" + v1.digest();
      Exec.Result byDigest = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(), pinned);
      assertThat(byDigest.exitCode()).as(byDigest.output()).isZero();
      assertThat(byDigest.stdout()).contains("Pulled " + pinned);
    }
  }
}
