package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM options the launcher adds, and those it leaves to the user. */
class LauncherJvmOptionsIT {
  private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  @TempDir Path tmp;

  /**
   * Transparent huge pages are asked for exactly when the kernel gives them on request, and the JVM then says
   * nothing: asked for where the kernel has them off, it would warn on every command.
   */
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

  /**
   * One compiler thread suits C1 alone; C2 needs two, and the JVM refuses to start with one. A user who asks for
   * C2 (or any compiler setting) gets the JVM's own count.
   */
  @Test
  void aUsersChoiceOfCompilersStarts() throws Exception {
    for (String opts : List.of("", "-XX:TieredStopAtLevel=4", "-XX:+TieredCompilation")) {
      Exec.Result r =
          Launcher.run(Map.of("SYSCONTAINERS_JAVA_OPTS", opts + " -XX:+PrintFlagsFinal"), "images", "list", "--root",
              tmp.resolve("root").toString());
      assertThat(r.exitCode()).as("with %s: %s", opts, r.stderr()).isZero();
      String count =
          r.stdout().lines().filter(l -> l.contains(" CICompilerCount ")).findFirst().orElse("(not printed)");
      if (opts.isEmpty()) {
        assertThat(count).as("C1 alone").contains("= 1 ").contains("{command line}");
      } else {
        assertThat(count).as("with %s", opts).doesNotContain("{command line}");
      }
    }
  }
}
