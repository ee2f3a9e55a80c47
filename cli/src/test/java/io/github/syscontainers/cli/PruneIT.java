package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 4: {@code images prune} after {@code images delete} frees what {@code ostree prune --refs-only}
 * frees on a copy of the same repository, for an image whose layers hold symlinks (dangling, absolute, relative):
 * in a bare repository their objects are symlinks too, and were stat'ed through the link.
 */
class PruneIT {
  @TempDir Path tmp;

  @Test
  void pruneAfterDeleteFreesWhatOstreePruneFrees() throws Exception {
    Peers.requireRoot();
    String ostree = Peers.require("ostree").toString();
    TestImage image =
        TestImage.builder()
            .layer(
                LayerBuilder.layer()
                    .file("bin/busybox", "not really busybox\n", 0755)
                    .symlink("bin/sh", "/bin/busybox")
                    .symlink("bin/ls", "busybox")
                    .symlink("etc/mtab", "/proc/mounts")
                    .symlink("usr/lib/gone", "/nowhere/at/all")
                    .symlink("etc/passwd-host", "/etc/passwd")
                    .file("etc/motd", "hello\n", 0644))
            .layer(LayerBuilder.layer().file("var/log/lastlog", new byte[300_000], 0644, 0, 0))
            .build();
    Path archive = tmp.resolve("links.tar");
    image.writeOciArchive(archive, "latest");
    String root = tmp.resolve("root").toString();
    Path repo = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree");

    assertThat(Launcher.run("pull", "--root", root, "oci-archive:" + archive).exitCode()).isZero();
    assertThat(Launcher.run("-y", "images", "delete", "--root", root, "links").exitCode()).isZero();

    // the oracle: the same repository, its refs deleted as ours are, pruned by ostree
    Path copy = tmp.resolve("copy");
    assertThat(Exec.run(List.of("cp", "-a", repo.toString(), copy.toString())).exitCode()).isZero();
    for (String ref : Launcher.lines(Exec.run(List.of(ostree, "refs", "--repo=" + copy)).stdout())) {
      assertThat(Exec.run(List.of(ostree, "refs", "--repo=" + copy, "--delete", ref)).exitCode()).isZero();
    }
    Exec.Result theirs = Exec.run(List.of(ostree, "prune", "--refs-only", "--repo=" + copy));
    assertThat(theirs.exitCode()).as(theirs.output()).isZero();

    long before = objectBytes(repo);
    Exec.Result prune = Launcher.run("images", "prune", "--root", root);
    assertThat(prune.exitCode()).as(prune.output()).isZero();
    assertThat(prune.stderr()).isEmpty();
    assertThat(prune.stdout()).contains("Removed ").doesNotContain("Removed 0 objects");
    assertThat(objects(repo)).isEqualTo(objects(copy));
    assertThat(objectBytes(repo)).isLessThan(before - 300_000);
    assertThat(Files.readString(Path.of("/etc/passwd"))).contains("root:"); // a symlink's target is never touched
    Exec.Result fsck = Exec.run(List.of(ostree, "fsck", "--repo=" + repo));
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();
  }

  private static Set<String> objects(Path repo) throws Exception {
    try (Stream<Path> s = Files.walk(repo.resolve("objects"))) {
      Set<String> out = new TreeSet<>();
      s.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .forEach(p -> out.add(repo.relativize(p).toString()));
      return out;
    }
  }

  private static long objectBytes(Path repo) throws Exception {
    try (Stream<Path> s = Files.walk(repo.resolve("objects"))) {
      long total = 0;
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }
}
