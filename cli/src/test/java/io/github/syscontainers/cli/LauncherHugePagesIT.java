package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher asks for transparent huge pages exactly when the kernel gives them on request, and the JVM then says
 * nothing: asked for where the kernel has them off, it would warn on every command.
 */
class LauncherHugePagesIT {
  private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  @TempDir Path tmp;

  @Test
  void hugePagesAreAskedForWhenTheKernelOffersThem() throws Exception {
    String mode = Files.isReadable(THP) ? Files.readString(THP) : "";
    boolean offered = mode.contains("[always]") || mode.contains("[madvise]");
    Path log = tmp.resolve("pagesize.log");
    Exec.Result r =
        Launcher.run(Map.of("SYSCONTAINERS_JAVA_OPTS", "-Xlog:pagesize=info:file=" + log), "--version");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    assertThat(Files.readString(log))
        .as("the kernel's mode: %s", mode.strip())
        .contains("UseTransparentHugePages=" + (offered ? 1 : 0));
  }
}
