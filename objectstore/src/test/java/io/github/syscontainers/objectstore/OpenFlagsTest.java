package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open(2) flags of this architecture equal the C headers' (issue 30's review: O_NOFOLLOW was x86-64's value on
 * every architecture, which on arm64 is O_LARGEFILE). Python's os module carries the values its build read from the
 * headers, so it is the oracle here; the other architectures' tables are the kernel's uapi values.
 */
class OpenFlagsTest {
  @TempDir Path tmp;

  @Test
  void theTableOfThisArchitectureIsTheHeaders() throws Exception {
    Path python = Peers.require("python3");
    Exec.Result r = Exec.run(List.of(python.toString(), "-c", "import os; print(os.O_DIRECTORY, os.O_NOFOLLOW,"
        + " os.O_DIRECT, os.O_CLOEXEC, os.O_TMPFILE, os.O_WRONLY, os.O_RDONLY)"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    OpenFlags f = OpenFlags.current().orElseThrow();
    assertThat(r.stdout().strip()).isEqualTo(f.directory() + " " + f.noFollow() + " " + f.direct() + " "
        + OpenFlags.O_CLOEXEC + " " + f.tmpFile() + " " + OpenFlags.O_WRONLY + " " + OpenFlags.O_RDONLY);
  }

  @Test
  void eachArchitectureHasItsOwnValues() {
    assertThat(OpenFlags.of("amd64")).contains(OpenFlags.GENERIC);
    assertThat(OpenFlags.of("aarch64").orElseThrow().noFollow()).isEqualTo(0100000);
    assertThat(OpenFlags.of("aarch64").orElseThrow().tmpFile()).isEqualTo(020040000);
    assertThat(OpenFlags.of("ppc64le").orElseThrow().direct()).isEqualTo(0400000);
    assertThat(OpenFlags.of("mips64")).isEmpty();
  }

  @Test
  void metadataIsNeverAppliedThroughASymlink() throws Exception {
    Peers.requireThat(NativeMetadata.available(), "libc is not reachable through JNA");
    Path target = Files.writeString(tmp.resolve("target"), "x");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    assertThatThrownBy(() -> NativeMetadata.apply(link, false, 0, 0, 0755, List.of()))
        .hasMessageContaining(link.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
  }
}
