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
    Exec.Result r = runLogged("images", "list", "--root", tmp.resolve("root").toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    // picocli's class files are of Java 5's format: the dump leaves such a class out when it has linked it
    assertMappedFrom(
        "syscontainers.jsa",
        "io.github.syscontainers.cli.Main",
        "picocli.CommandLine",
        "picocli.CommandLine$Model$CommandSpec");
  }

  @Test
  void aPullFromARegistryMapsTheRegistryArchive() throws Exception {
    Exec.Result r =
        runLogged("pull", "--tls-verify=false", "--root", tmp.resolve("root").toString(), "docker://127.0.0.1:1/no:x");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("Cannot reach the registry 127.0.0.1:1");
    assertMappedFrom(
        "syscontainers-registry.jsa", "okhttp3.OkHttpClient", "io.github.syscontainers.registry.RegistrySource");
  }

  @Test
  void makingTheArchivesWritesNothingWhereTheUsersVariablesPoint() throws Exception {
    // issue 27: the training runs inherited ATOMIC_OSTREE_CHECKOUT_PATH and left a `layout:train` image in the
    // user's store the first time the launcher ran after a build
    for (String a : List.of("syscontainers.jsa", "syscontainers-registry.jsa")) {
      Files.deleteIfExists(Launcher.TOP.resolve("cli/target/" + a));
    }
    Path checkout = tmp.resolve("users-checkout");
    Path repo = tmp.resolve("users-repo");
    Exec.Result r =
        Launcher.run(
            Map.of("ATOMIC_OSTREE_CHECKOUT_PATH", checkout.toString(), "ATOMIC_OSTREE_REPO", repo.toString()),
            "--version");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(Launcher.TOP.resolve("cli/target/syscontainers.jsa")).isRegularFile();
    assertThat(Launcher.TOP.resolve("cli/target/syscontainers-registry.jsa")).isRegularFile();
    assertThat(checkout).doesNotExist();
    assertThat(repo).doesNotExist();
  }

  /** Runs the launcher with the JVM logging the classes it loads and the archive it maps. */
  private Exec.Result runLogged(String... args) throws Exception {
    String opts =
        "-Xlog:class+load=info:file=" + tmp.resolve("classes.log") + " -Xlog:cds=info:file=" + tmp.resolve("cds.log");
    return Launcher.run(Map.of("SYSCONTAINERS_JAVA_OPTS", opts), args);
  }

  /** The run mapped {@code archive} (in cli/target), and each class came from it. */
  private void assertMappedFrom(String archive, String... classes) throws Exception {
    Path file = Launcher.TOP.resolve("cli/target/" + archive);
    assertThat(file).isRegularFile();
    assertThat(Files.readString(tmp.resolve("cds.log"))).contains("Opened archive " + file);
    List<String> lines = Files.readAllLines(tmp.resolve("classes.log"));
    for (String name : classes) {
      assertThat(lines)
          .as("how %s was loaded", name)
          .anySatisfy(l -> assertThat(l).contains(" " + name + " source: shared objects file"));
    }
  }
}
