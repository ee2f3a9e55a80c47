package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libc's xattr calls against their twin, the JDK's {@code UserDefinedFileAttributeView}, on {@code user.*} (the
 * namespace both reach), property-style (issue 30): seeded random names and values (empty, with NULs, over the first
 * read buffer of 256 bytes), set by one side and read, listed and removed by the other. The seed of a failing case is printed;
 * {@code -Dsyscontainers.diff.seed=S} repeats it, {@code -Dsyscontainers.diff.cases=N} runs more.
 */
class XattrsDifferentialTest {
  @TempDir Path tmp;

  @Test
  void libcAndTheJdkSeeTheSameUserXattrs() throws Exception {
    Peers.requireNative(NativeXattrs.available(), "libc is not reachable through JNA");
    long seed = Long.getLong("syscontainers.diff.seed", System.nanoTime());
    int cases = Integer.getInteger("syscontainers.diff.cases", 300);
    Random r = new Random(seed);
    Path file = Files.createFile(tmp.resolve("f"));
    UserDefinedFileAttributeView jdk = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
    Map<String, byte[]> expected = new HashMap<>();
    for (int i = 0; i < cases; i++) {
      String where = "seed " + seed + ", case " + i;
      String name = "user.k" + r.nextInt(12) + (r.nextBoolean() ? ".x-y_z" : "");
      int op = r.nextInt(5);
      int total = expected.values().stream().mapToInt(v -> v.length + 32).sum();
      if (total > 2500 && !expected.isEmpty()) { // ext4 keeps one block of xattrs per inode: make room
        name = expected.keySet().iterator().next();
        op = 4;
      }
      if (op == 4 && expected.containsKey(name)) {
        if (r.nextBoolean()) {
          NativeXattrs.remove(file, name);
        } else {
          jdk.delete(name.substring(5));
        }
        expected.remove(name);
      } else {
        byte[] value = new byte[r.nextInt(4) == 0 ? 256 + r.nextInt(1200) : r.nextInt(40)];
        r.nextBytes(value);
        if (r.nextBoolean()) {
          NativeXattrs.set(file, name, value);
        } else {
          jdk.write(name.substring(5), ByteBuffer.wrap(value));
        }
        expected.put(name, value);
      }
      Map<String, byte[]> listed = NativeXattrs.list(file);
      assertThat(listed.keySet()).as(where).containsExactlyInAnyOrderElementsOf(expected.keySet());
      assertThat(jdk.list()).as(where).hasSize(expected.size());
      for (Map.Entry<String, byte[]> e : expected.entrySet()) {
        assertThat(listed.get(e.getKey())).as(where).isEqualTo(e.getValue());
        assertThat(NativeXattrs.get(file, e.getKey())).as(where).isEqualTo(e.getValue());
        ByteBuffer b = ByteBuffer.allocate(jdk.size(e.getKey().substring(5)));
        jdk.read(e.getKey().substring(5), b);
        assertThat(b.array()).as(where).isEqualTo(e.getValue());
      }
    }
  }
}
