package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's class-data-sharing archive holds the classes every command starts with, picocli's included. */
class LauncherCdsIT {
  @TempDir Path tmp;

  @Test
  void theClassesAtStartComeFromTheArchive() throws Exception {
    Path log = tmp.resolve("classes.log");
    Exec.Result r =
        Launcher.run(
            Map.of("SYSCONTAINERS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
            "images",
            "list",
            "--root",
            tmp.resolve("root").toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(Launcher.TOP.resolve("cli/target/syscontainers.jsa")).isRegularFile();
    List<String> lines = Files.readAllLines(log);
    // picocli's class files are of Java 5's format: the dump leaves such a class out when it has linked it
    for (String name :
        List.of("io.github.syscontainers.cli.Main", "picocli.CommandLine", "picocli.CommandLine$Model$CommandSpec")) {
      assertThat(lines)
          .as("how %s was loaded", name)
          .anySatisfy(l -> assertThat(l).contains(" " + name + " source: shared objects file"));
    }
  }
}
