package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The open(2) flags of this architecture equal the C headers' (issue 30's review: O_NOFOLLOW was x86-64's value on
 * every architecture, which on arm64 is O_LARGEFILE). Python's os module carries the values its build read from the
 * headers, so it is the oracle here; the other architectures' tables are the kernel's uapi values. That metadata is
 * never applied through a symlink is NativeMetadataTest's.
 */
class OpenFlagsTest {
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
}
