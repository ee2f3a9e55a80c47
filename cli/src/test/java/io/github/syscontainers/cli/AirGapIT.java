package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.GpgHome;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's air-gap workflow, command by command: on the connected machine {@code copy} from a registry into a
 * docker-archive named for the registry, and {@code sign} it; on a host that trusts only that key, offline,
 * {@code install} from the archive with its signatures; then {@code copy} into the site's own registry with the
 * manifest digest kept.
 */
class AirGapIT {
  @TempDir Path tmp;

  private static void ok(Exec.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void copySignCarryInstall() throws Exception {
    Peers.requireRoot();
    try (DockerRegistry upstream = DockerRegistry.start(tmp.resolve("upstream"));
        DockerRegistry site = DockerRegistry.start(tmp.resolve("site"));
        GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"))) {
      new RegistryPusher(upstream.address()).push("apps/hello", "1",
          SampleImage.build(Launcher.TOP.resolve("examples/hello")));
      String name = upstream.address() + "/apps/hello:1";
      Path usb = Files.createDirectories(tmp.resolve("usb"));

      // connected machine
      String archive = "docker-archive:" + usb.resolve("hello.tar") + ":" + name;
      ok(Launcher.run("copy", "--src-tls-verify=false", "docker://" + name, archive));
      String key = gpg.newKey("Release <release@example.com>", "ed25519", null, "never");
      Path secret = gpg.exportSecretArmored(tmp.resolve("release.key"), key, "");
      Path sigs = Files.createDirectories(usb.resolve("sigs"));
      ok(Launcher.run("sign", "--sign-by", secret.toString(), "-d", sigs.toString(), archive));
      gpg.exportArmored(usb.resolve("release.asc"), key);

      // the air-gapped host: trusts that key only
      Path host = Files.createDirectories(tmp.resolve("host"));
      Files.createDirectories(host.resolve("etc/pki/containers"));
      Files.copy(usb.resolve("release.asc"), host.resolve("etc/pki/containers/release.asc"));
      ok(Launcher.run("trust", "default", "reject", "--root", host.toString()));
      ok(Launcher.run("trust", "add", "--root", host.toString(), "--sigstoretype", "docker-archive", "-f",
          "/etc/pki/containers/release.asc", "*"));
      Exec.Result unsigned = Launcher.runOffline("install", "--system", "--name", "hello", "--root", host.toString(),
          archive);
      assertThat(unsigned.exitCode()).isNotZero();
      assertThat(Launcher.lines(unsigned.stderr())).singleElement().asString().contains("Refused");
      ok(Launcher.runOffline("install", "--system", "--name", "hello", "--root", host.toString(), "--signature-dir",
          sigs.toString(), archive));
      assertThat(host.resolve("var/lib/containers/atomic/hello.0/rootfs/hello/hello.sh")).exists();

      // the site's registry, from an oci-archive made on the connected machine: the manifest digest kept
      Path oci = usb.resolve("hello-oci.tar");
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "docker://" + name, "oci-archive:" + oci));
      Exec.Result push = Launcher.run("copy", "--json", "--dest-tls-verify=false", "oci-archive:" + oci,
          "docker://" + site.address() + "/apps/hello:1");
      ok(push);
      String upstreamDigest = Exec.run(java.util.List.of(Peers.require("skopeo").toString(), "inspect",
          "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + name)).stdout().strip();
      assertThat(push.stdout()).contains("\"manifestDigest\":\"" + upstreamDigest + "\"")
          .contains("\"manifestKept\":true");
    }
  }
}
