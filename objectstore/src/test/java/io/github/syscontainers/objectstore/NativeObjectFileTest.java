package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects written through libc's calls, bound directly: anonymous until complete, then named; an existing name wins. */
class NativeObjectFileTest {
  @TempDir Path tmp;

  @BeforeEach
  void linux() {
    Peers.requireThat(NativeObjectFile.supported(tmp), "libc with O_TMPFILE (Linux, 64-bit)");
  }

  @Test
  void writesAppliesMetadataAndLinksOnce() throws Exception {
    byte[] data = new byte[600_000]; // more than one staging buffer
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Path target = tmp.resolve("objects/ab/cdef.file");
    try (NativeObjectFile f = NativeObjectFile.create(tmp)) {
      f.write(data, 0, data.length);
      f.applyMetadata(false, -1, -1, 0640, List.of(new Xattr("user.test", new byte[] {1, 2})));
      f.fsync();
      assertThat(Files.list(tmp).filter(p -> !p.getFileName().toString().equals("objects")))
          .as("anonymous until linked").isEmpty();
      assertThat(f.linkTo(target)).isTrue(); // the missing directory is made
    }
    assertThat(Files.readAllBytes(target)).isEqualTo(data);
    assertThat(Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0100640);
    assertThat(Files.getLastModifiedTime(target)).isEqualTo(FileTime.fromMillis(0));
    assertThat(NativeXattrs.get(target, "user.test")).containsExactly(1, 2);
    try (NativeObjectFile again = NativeObjectFile.create(tmp)) {
      again.write(new byte[] {9}, 0, 1);
      assertThat(again.linkTo(target)).as("an existing object wins").isFalse();
    }
    assertThat(Files.readAllBytes(target)).isEqualTo(data);
  }

  @Test
  void existsAnswersAsTheJdkDoesWithoutFollowingALastSymlink() throws Exception {
    Path file = Files.write(tmp.resolve("a.file"), new byte[] {1});
    Path dangling = Files.createSymbolicLink(tmp.resolve("b.file"), tmp.resolve("nowhere"));
    Path dir = Files.createDirectory(tmp.resolve("ab"));
    assertThat(NativeObjectFile.exists(file)).isTrue();
    assertThat(NativeObjectFile.exists(dir)).isTrue();
    assertThat(NativeObjectFile.exists(dangling)).as("a symlink object of a bare repository").isTrue();
    assertThat(NativeObjectFile.exists(tmp.resolve("ab/missing.file"))).isFalse();
    assertThat(NativeObjectFile.exists(tmp.resolve("missing/cdef.file"))).isFalse();
    assertThat(NativeObjectFile.exists(file.resolve("under-a-file"))).as("ENOTDIR").isFalse();
    assertThat(NativeObjectFile.exists(tmp.resolve("x".repeat(300))))
        .as("another error (ENAMETOOLONG): libc cannot say, the JDK is asked")
        .isNull();
    for (Path p : List.of(file, dangling, dir, tmp.resolve("ab/missing.file"), file.resolve("under-a-file"))) {
      assertThat(NativeObjectFile.exists(p)).as(p.toString()).isEqualTo(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    }
  }
}
