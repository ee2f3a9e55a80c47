package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.FakeRegistry;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 10: a pull that fills the disk says so (not "truncated or corrupt"), whichever thread met
 * {@code ENOSPC} first; what it left (objects no ref reaches, the kept bytes of its blob) is removed by
 * {@code images prune}; and archives that are not files are named for what they are.
 */
class DiskFullIT {
  @TempDir Path tmp;

  @Test
  void aFullDiskIsNamedAndPruneRemovesWhatThePullLeft() throws Exception {
    Peers.requireRoot();
    Path small = Files.createDirectories(tmp.resolve("small"));
    Exec.Result mount = Exec.run(List.of("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", small.toString()));
    assertThat(mount.exitCode()).as(mount.output()).isZero();
    try {
      byte[] big = new byte[20 << 20];
      new Random(10).nextBytes(big);
      LayerBuilder many = LayerBuilder.layer();
      for (int i = 0; i < 200; i++) {
        byte[] f = new byte[40_000];
        new Random(i).nextBytes(f);
        many.file("small/f" + i, f, 0644, 0, 0);
      }
      TestImage image =
          TestImage.builder().layer(many).layer(LayerBuilder.layer().file("big", big, 0644, 0, 0)).build();
      Map<String, String> env = Map.of("ATOMIC_OSTREE_CHECKOUT_PATH", small.resolve("co").toString());
      Path repo = small.resolve("co/.storage/ostree");
      try (FakeRegistry reg = new FakeRegistry(image)) {
        for (int round = 0; round < 3; round++) {
          Exec.Result pull = Launcher.run(env, "pull", "--tls-verify=false", reg.ref());
          assertThat(pull.exitCode()).as(pull.output()).isEqualTo(1);
          assertThat(Launcher.lines(pull.stderr())).as("round " + round).last().asString()
              .contains("is full (No space left on device)")
              .contains("images prune")
              .doesNotContain("truncated or corrupt");

          Exec.Result prune = Launcher.run(env, "images", "prune");
          assertThat(prune.exitCode()).as(prune.output()).isZero();
          assertThat(files(repo.resolve("objects"))).as("objects left after prune").isEmpty();
          assertThat(files(repo.resolve("tmp/partial-blobs"))).as("kept bytes left after prune").isEmpty();
          assertThat(Files.getFileStore(small).getUsableSpace()).isGreaterThan(22L << 20);
        }
      }
    } finally {
      Exec.run(List.of("umount", "-l", small.toString()));
    }
  }

  @Test
  void anArchiveThatIsNotAFileIsNamedForWhatItIs() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("layout"));
    for (String[] c : new String[][] {
      {"oci-archive:" + dir, "it is a directory, not a tar file; for an OCI layout directory write oci:" + dir},
      {"docker-archive:" + dir, "it is a directory, not a tar file"},
      {"oci-archive:/dev/zero", "it is a device, pipe or socket, not a regular file"},
      {"oci-archive:" + tmp.resolve("nope.tar"), "no such file"},
      {"oci:" + tmp.resolve("nope"), "no such directory"},
    }) {
      Exec.Result r = Launcher.run("pull", "--root", tmp.resolve("root").toString(), c[0]);
      assertThat(r.exitCode()).as(c[0]).isEqualTo(1);
      assertThat(Launcher.lines(r.stderr())).as(c[0]).singleElement().asString().contains(c[1]);
    }
    Path file = Files.writeString(tmp.resolve("file.tar"), "x");
    Exec.Result layout = Launcher.run("pull", "--root", tmp.resolve("root").toString(), "oci:" + file);
    assertThat(Launcher.lines(layout.stderr())).singleElement().asString()
        .contains("it is a file, not a directory; for a tar file write oci-archive:" + file);
  }

  private static List<Path> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
  }
}
