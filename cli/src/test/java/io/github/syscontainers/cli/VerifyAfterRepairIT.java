package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 7: after {@code fsck --repair} removed a corrupt object, the container still holds the corrupt
 * file (its own inode); {@code verify} measures the file against the image's checksum and names it, {@code images
 * list} marks the image that lost a layer, and {@code verify --repair} fetches it again and restores the file.
 */
class VerifyAfterRepairIT {
  @TempDir Path tmp;

  @Test
  void verifyNamesAFileWhoseObjectFsckRepairRemoved() throws Exception {
    Peers.requireRoot();
    String ostree = Peers.require("ostree").toString();
    Path archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    String root = tmp.resolve("root").toString();
    Path d = tmp.resolve("root/var/lib/containers/atomic/hello.0");
    Path repo = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree");
    assertThat(Launcher.run("install", "--system", "--name", "hello", "--root", root, "oci-archive:" + archive).exitCode())
        .isZero();
    assertThat(Launcher.run("verify", "--root", root, "hello").stdout()).contains("all files match");

    Path script = d.resolve("rootfs/hello/hello.sh");
    Files.writeString(script, "echo tampered\n", StandardOpenOption.APPEND); // the object changes with it
    Exec.Result fsck = Launcher.run("fsck", "--repair", "--root", root);
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();
    assertThat(fsck.stdout()).contains("Removed ociimage/");
    assertThat(script).content().contains("tampered");

    Exec.Result verify = Launcher.run("verify", "--root", root, "hello");
    assertThat(verify.exitCode()).as(verify.output()).isEqualTo(1);
    assertThat(verify.stdout()).doesNotContain("all files match");
    assertThat(verify.stderr()).contains("Modified: /hello/hello.sh (object ").contains("content hashes to ");

    Exec.Result list = Launcher.run("images", "list", "--root", root);
    assertThat(list.stdout()).containsPattern("(?m)^!> +hello +latest ");
    assertThat(list.stderr()).contains("Images marked ! miss stored layers");

    Exec.Result repaired =
        Launcher.run("verify", "--repair", "--source", "oci-archive:" + archive, "--root", root, "hello");
    assertThat(repaired.exitCode()).as(repaired.output()).isZero();
    assertThat(repaired.stdout()).contains("Restored /hello/hello.sh");
    assertThat(script).content().doesNotContain("tampered").contains("Hello from");
    assertThat(Launcher.run("verify", "--root", root, "hello").stdout()).contains("all files match");
    assertThat(Launcher.run("images", "list", "--root", root).stdout()).containsPattern("(?m)^> +hello +latest ");
    Exec.Result ostreeFsck = Exec.run(List.of(ostree, "fsck", "--repo=" + repo));
    assertThat(ostreeFsck.exitCode()).as(ostreeFsck.output()).isZero();
  }
}
