package io.github.syscontainers.objectstore;

import io.github.syscontainers.platform.NativeObjectFile;
import io.github.syscontainers.platform.NativeXattrs;
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
    Peers.requireNative(NativeObjectFile.supported(tmp), "libc with O_TMPFILE (Linux, 64-bit)");
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
      f.applyMetadata(false, -1, -1, 0640, Xattr.toMap(List.of(new Xattr("user.test", new byte[] {1, 2}))));
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

  /** A metadata object of a bare repository: its bytes under its name, mode 0644, nothing left under tmp/. */
  @Test
  void metadataObjectsAreNamedByTheirHashWithMode0644() throws Exception {
    for (RepoMode mode : new RepoMode[] {RepoMode.BARE_USER, RepoMode.BARE}) {
      OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve(mode.toString()), mode);
      byte[] data = "a dirmeta's bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      WrittenObject w = repo.writeMetadata(ObjectType.DIR_META, data);
      Path object = repo.objectPath(w.id(), ObjectType.DIR_META);
      assertThat(w.id()).isEqualTo(ObjectId.of(io.github.syscontainers.model.Digest.newSha256().digest(data)));
      assertThat(Files.readAllBytes(object)).isEqualTo(data);
      assertThat(Files.getAttribute(object, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0100644);
      assertThat(repo.writeMetadata(ObjectType.DIR_META, data).result()).isEqualTo(InsertResult.ALREADY_PRESENT);
      try (var left = Files.list(repo.path().resolve("tmp"))) {
        assertThat(left).as(mode + ": tmp/").isEmpty();
      }
    }
  }

  @Test
  void directFilesHoldEveryByteAndLeaveDirectOnlyForATail() throws Exception {
    // ext4, xfs and btrfs take O_DIRECT; elsewhere the file is an ordinary one, and only its content is checked
    boolean directFs =
        System.getProperty("os.arch").equals("amd64")
            && List.of("ext4", "xfs", "btrfs").contains(Files.getFileStore(tmp).type());
    int mib = 1 << 20;
    for (int size : new int[] {0, 1, 4095, 4096, 4097, 100_003, mib, mib + 1, 3 * mib + 3 * 4096, 3 * mib + 12_345}) {
      byte[] data = pattern(size);
      Path target = tmp.resolve("objects/" + size + ".file");
      try (NativeObjectFile f = NativeObjectFile.createDirect(tmp)) {
        if (directFs) {
          assertThat(openFlags(f) & O_DIRECT).as("O_DIRECT at open").isNotZero();
        }
        for (int off = 0; off < size; ) { // in uneven pieces, as a pipe hands them over
          int n = Math.min(size - off, 100_003);
          f.append(data, off, n);
          off += n;
        }
        f.finish();
        if (directFs) {
          assertThat(openFlags(f) & O_DIRECT)
              .as("a tail under 4 KiB goes through the page cache; %d bytes", size)
              .isEqualTo(size % 4096 == 0 ? O_DIRECT : 0);
        }
        f.applyMetadata(false, -1, -1, 0644, java.util.Map.of());
        assertThat(f.linkTo(target)).isTrue();
      }
      assertThat(Files.readAllBytes(target)).as("%d bytes", size).isEqualTo(data);
    }
  }

  private static final int O_DIRECT = 040000; // on x86-64

  /** Bytes that differ from one 4 KiB block to the next, so a block written at the wrong offset shows. */
  static byte[] pattern(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 131 + (i >>> 12));
    }
    return b;
  }

  /** The descriptor's flags as the kernel reports them in /proc/self/fdinfo (octal). */
  private static int openFlags(NativeObjectFile f) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + f.descriptor()))) {
      if (line.startsWith("flags:")) {
        return Integer.parseInt(line.substring("flags:".length()).trim(), 8);
      }
    }
    throw new AssertionError("no flags in /proc/self/fdinfo");
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
