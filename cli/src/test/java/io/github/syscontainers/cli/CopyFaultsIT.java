package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive {@code copy} writes is complete or absent: a full disk (a small tmpfs) ends the copy with a message that
 * says so and leaves nothing; SIGKILL in the middle leaves no file with the final name, and the next copy to the same
 * name removes what the killed one left.
 */
class CopyFaultsIT {
  @TempDir Path tmp;

  private Path layout(int mib, long seed) throws Exception {
    byte[] big = new byte[mib << 20];
    new Random(seed).nextBytes(big);
    Path layout = tmp.resolve("layout-" + mib);
    TestImage.builder().layer(LayerBuilder.layer().file("big", big, 0644, 0, 0)).build().writeOciLayout(layout, "1");
    return layout;
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void aFullDiskEndsTheCopyInOneLineAndLeavesNoArchive() throws Exception {
    Peers.requireRoot();
    Path layout = layout(12, 1);
    Path small = Files.createDirectories(tmp.resolve("small"));
    Exec.Result mount = Exec.run(List.of("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString()));
    assertThat(mount.exitCode()).as(mount.output()).isZero();
    try {
      for (String dest : List.of("oci-archive:" + small.resolve("x.tar"), "docker-archive:" + small.resolve("y.tar"),
          "oci:" + small.resolve("layout"))) {
        Exec.Result copy = Launcher.run("copy", "-q", "oci:" + layout + ":1", dest);
        assertThat(copy.exitCode()).as(dest).isEqualTo(1);
        assertThat(Launcher.lines(copy.stderr())).as(dest).singleElement().asString()
            .contains("No space left on device").contains("the disk is full");
      }
      // nothing under an archive's name, no temporary file, no index.json naming blobs that are not there
      assertThat(names(small)).containsExactly("layout");
      assertThat(small.resolve("layout/index.json")).doesNotExist();
      try (Stream<Path> s = Files.walk(small.resolve("layout"))) {
        assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
      }
    } finally {
      Exec.run(List.of("umount", "-l", small.toString()));
    }
  }

  @Test
  void sigkillDuringACopyLeavesNoArchiveAndTheNextCopyCleansUp() throws Exception {
    Path layout = layout(96, 2);
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Path archive = out.resolve("image.tar");
    List<String> cmd = new ArrayList<>(List.of(Launcher.TOP.resolve("syscontainers").toString(), "copy", "-q",
        "oci:" + layout + ":1", "docker-archive:" + archive));
    Process p = new ProcessBuilder(cmd).directory(Launcher.TOP.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    boolean killed = false;
    while (System.nanoTime() < deadline && p.isAlive()) {
      List<Path> partial;
      try (Stream<Path> s = Files.list(out)) {
        partial = s.filter(f -> f.getFileName().toString().startsWith(".image.tar.tmp-")).toList();
      }
      if (!partial.isEmpty() && Files.size(partial.get(0)) > (8 << 20)) {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
        killed = true;
        break;
      }
      Thread.sleep(5);
    }
    p.waitFor();
    assertThat(killed).as("the copy was caught in the middle").isTrue();
    assertThat(archive).doesNotExist();
    assertThat(names(out)).singleElement().asString().startsWith(".image.tar.tmp-");

    Exec.Result again = Launcher.run("copy", "-q", "oci:" + layout + ":1", "docker-archive:" + archive);
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(names(out)).containsExactly("image.tar");
    Exec.Result list = Exec.run(List.of("tar", "-tf", archive.toString()));
    assertThat(list.stdout()).contains("manifest.json");
  }
}
