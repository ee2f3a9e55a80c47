package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.platform.NativeObjectFile;
import io.github.syscontainers.platform.NativeXattrs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libc's object files against their twin, the JDK's file calls, property-style (issue 30): seeded random content
 * objects (sizes around the staging and direct-write boundaries, modes with setuid and sticky bits, user.* xattrs,
 * owners in a bare repository), written from bytes and from a stream, in repositories of each bare mode. Both must
 * give the same object names and the same files: bytes, mode, owner, mtime and xattrs. The seed of a failing case is
 * printed; {@code -Dsyscontainers.diff.seed=S} repeats it, {@code -Dsyscontainers.diff.cases=N} runs more.
 */
class ObjectFileDifferentialTest {
  @TempDir Path tmp;

  @Test
  void libcAndTheJdkWriteTheSameObjects() throws Exception {
    Peers.requireNative(NativeObjectFile.supported(tmp), "libc with O_TMPFILE (Linux, 64-bit)");
    long seed = Long.getLong("syscontainers.diff.seed", System.nanoTime());
    int cases = Integer.getInteger("syscontainers.diff.cases", 400);
    Random r = new Random(seed);
    boolean root = "root".equals(System.getProperty("user.name"));
    for (RepoMode mode : root ? new RepoMode[] {RepoMode.BARE_USER, RepoMode.BARE} : new RepoMode[] {RepoMode.BARE_USER}) {
      Path nativeRepo = OstreeRepository.openOrCreate(tmp.resolve("native-" + mode), mode).path();
      Path jdkRepo = OstreeRepository.openOrCreate(tmp.resolve("jdk-" + mode), mode).path();
      ObjectWriter viaLibc = new ObjectWriter(nativeRepo, mode, false);
      ObjectWriter viaJdk = new ObjectWriter(jdkRepo, mode, false).withoutNativeFiles();
      assertThat(viaLibc.nativeFilesInUse()).as("the native path is the one under test").isTrue();
      assertThat(viaJdk.nativeFilesInUse()).isFalse();
      for (int i = 0; i < cases; i++) {
        String where = "seed " + seed + ", " + mode + ", case " + i;
        FileMeta meta = randomMeta(r, mode == RepoMode.BARE);
        byte[] data = new byte[size(r)];
        r.nextBytes(data);
        boolean stream = r.nextBoolean();
        WrittenObject a = write(viaLibc, meta, data, stream);
        WrittenObject b = write(viaJdk, meta, data, stream);
        assertThat(a.id()).as(where).isEqualTo(b.id());
        Path x = viaLibc.objectPath(a.id(), ObjectType.FILE);
        Path y = viaJdk.objectPath(b.id(), ObjectType.FILE);
        assertThat(Files.readAllBytes(x)).as(where).isEqualTo(Files.readAllBytes(y));
        assertThat(attributes(x)).as(where).isEqualTo(attributes(y));
        assertThat(xattrs(x)).as(where).isEqualTo(xattrs(y));
      }
    }
  }

  static WrittenObject write(ObjectWriter w, FileMeta meta, byte[] data, boolean stream) throws Exception {
    return stream ? w.writeFile(meta, new ByteArrayInputStream(data), data.length) : w.writeFile(meta, data, data.length);
  }

  static int size(Random r) {
    int[] edges = {0, 1, 4095, 4096, 4097, 65_536, 262_143, 262_144, 262_145, 1 << 20, (1 << 20) + 4097};
    return r.nextInt(3) == 0 ? edges[r.nextInt(edges.length)] : r.nextInt(r.nextBoolean() ? 5000 : 1_500_000);
  }

  static FileMeta randomMeta(Random r, boolean owners) {
    int[] bits = {0644, 0755, 0600, 0444, 04755, 02755, 01777, 0640, 0700, 0};
    int perms = r.nextInt(4) == 0 ? r.nextInt(07777 + 1) : bits[r.nextInt(bits.length)];
    List<Xattr> xattrs = new ArrayList<>();
    for (int k = r.nextInt(3); k > 0; k--) {
      byte[] v = new byte[r.nextInt(40)];
      r.nextBytes(v);
      xattrs.add(new Xattr("user.x" + r.nextInt(5), v));
    }
    xattrs = new ArrayList<>(Xattr.of(Xattr.toMap(xattrs))); // one value per name, as a layer's entry has
    int uid = owners ? r.nextInt(3) * 1000 : 0;
    int gid = owners ? r.nextInt(3) * 1000 : 0;
    return new FileMeta(uid, gid, FileMeta.S_IFREG | perms, xattrs);
  }

  static Map<String, Object> attributes(Path p) throws Exception {
    return Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
  }

  static Map<String, String> xattrs(Path p) throws Exception {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Map.Entry<String, byte[]> e : NativeXattrs.list(p).entrySet()) {
      out.put(e.getKey(), java.util.HexFormat.of().formatHex(e.getValue()));
    }
    return out;
  }
}
