package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

      // a second pull of the same image transfers no blob: the registry log shows no new blob GET
      long blobGets = countBlobGets(registry.log());
      assertThat(blobGets).as("the first pull fetched the layer and the config").isGreaterThanOrEqualTo(2);
      Exec.Result again =
          Launcher.run("pull", "--tls-verify=false", "--root", root.toString(), "docker://" + image);
      assertThat(again.exitCode()).as(again.output()).isZero();
      assertThat(countBlobGets(registry.log()) - blobGets).isLessThanOrEqualTo(1); // the config only
    }
  }

  private static long countBlobGets(String log) {
    return log.lines().filter(l -> l.contains("\"GET /v2/") && l.contains("/blobs/sha256:")).count();
  }
}
