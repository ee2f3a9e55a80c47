package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.SampleImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package's training pulls the sample from a registry of its own: the pull through the CLI succeeds. */
class TrainingRegistryTest {
  @TempDir Path tmp;

  @Test
  void servesTheArchivesImageToAPull() throws Exception {
    Path archive = tmp.resolve("hello.tar");
    SampleImage.build(Path.of("..", "examples", "hello")).writeOciArchive(archive, "latest");
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (TrainingRegistry registry = TrainingRegistry.serve(archive, "train")) {
      String root = tmp.resolve("root").toString();
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      String ref = "docker://" + registry.reference();
      assertThat(Main.run("pull", "--tls-verify=false", "--root", root, ref)).isZero();
      // a second pull finds it stored by its manifest digest (a HEAD)
      assertThat(Main.run("pull", "--tls-verify=false", "--root", root, ref)).isZero();
      assertThat(Main.run("images", "list", "--root", root)).isZero();
    } finally {
      System.setOut(out);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Pulled ").contains("train");
  }
}
