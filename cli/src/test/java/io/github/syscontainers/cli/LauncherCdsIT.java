package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data-sharing archive holds the classes every command starts with, picocli's included; a second
 * one, which commands that fetch from a registry map instead, holds the HTTP client's and the registry client's too.
 */
class LauncherCdsIT {
  @TempDir Path tmp;

  @Test
  void theClassesAtStartComeFromTheArchive() throws Exception {
    Path log = tmp.resolve("classes.log");
    Path cdsLog = tmp.resolve("cds.log");
    Exec.Result r =
        Launcher.run(
            Map.of("SYSCONTAINERS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log + " -Xlog:cds=info:file=" + cdsLog),
            "images",
            "list",
            "--root",
            tmp.resolve("root").toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(Launcher.TOP.resolve("cli/target/syscontainers.jsa")).isRegularFile();
    assertThat(Files.readString(cdsLog)).contains("Opened archive " + Launcher.TOP.resolve("cli/target/syscontainers.jsa"));
    List<String> lines = Files.readAllLines(log);
    // picocli's class files are of Java 5's format: the dump leaves such a class out when it has linked it
    for (String name :
        List.of("io.github.syscontainers.cli.Main", "picocli.CommandLine", "picocli.CommandLine$Model$CommandSpec")) {
      assertThat(lines)
          .as("how %s was loaded", name)
          .anySatisfy(l -> assertThat(l).contains(" " + name + " source: shared objects file"));
    }
  }

  @Test
  void aPullFromARegistryMapsTheRegistryArchive() throws Exception {
    Path log = tmp.resolve("classes.log");
    Path cdsLog = tmp.resolve("cds.log");
    Exec.Result r =
        Launcher.run(
            Map.of("SYSCONTAINERS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log + " -Xlog:cds=info:file=" + cdsLog),
            "pull",
            "--tls-verify=false",
            "--root",
            tmp.resolve("root").toString(),
            "docker://127.0.0.1:1/nothing:here");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("Cannot reach the registry 127.0.0.1:1");
    assertThat(Files.readString(cdsLog))
        .contains("Opened archive " + Launcher.TOP.resolve("cli/target/syscontainers-registry.jsa"));
    List<String> lines = Files.readAllLines(log);
    for (String name : List.of("okhttp3.OkHttpClient", "io.github.syscontainers.registry.RegistrySource")) {
      assertThat(lines)
          .as("how %s was loaded", name)
          .anySatisfy(l -> assertThat(l).contains(" " + name + " source: shared objects file"));
    }
  }
}
