package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native calls reach the file the JDK names (issue 30's review: JNA encoded path strings in its own string
 * encoding, {@code jna.encoding} or the platform's, while the JDK encodes file names in sun.jnu.encoding). A JVM
 * with UTF-8 file names and {@code -Djna.encoding=ISO-8859-1 -Dfile.encoding=ISO-8859-1} sets and reads an xattr
 * on a file named in non-ASCII letters.
 */
class NativePathsTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS) Path tmp;

  @Test
  void nativeCallsEncodePathsAsTheJdkDoes() throws Exception {
    Peers.requireNative(NativeXattrs.LIBC != null, "libc is not reachable through JNA");
    // user.* xattrs need a file system that takes them: the build directory's
    Path dir = Files.createTempDirectory(Path.of("target"), "native-paths");
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-Dfile.encoding=ISO-8859-1", "-Djna.encoding=ISO-8859-1", "-cp",
          System.getProperty("java.class.path"), NativePathsMain.class.getName(), dir.toAbsolutePath().toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("LC_ALL", "C.UTF-8");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor()).as(out).isZero();
      assertThat(out).isEqualTo("v");
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
