package io.github.syscontainers.platform;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Paths as the C calls take them: NUL-terminated bytes in the encoding the JDK's own file calls use
 * ({@code sun.jnu.encoding}), not in JNA's string encoding ({@code jna.encoding}, else the platform's), which a
 * setting may change without changing how the JDK names files: the native and the JDK calls would then reach
 * different files.
 */
final class NativePaths {
  private static final Charset JNU = jnu();

  private NativePaths() {}

  static byte[] of(Path p) {
    return of(p.toString());
  }

  static byte[] of(String path) {
    byte[] b = path.getBytes(JNU);
    return Arrays.copyOf(b, b.length + 1);
  }

  /** The charset the JDK encodes file names in. */
  static Charset charset() {
    return JNU;
  }

  private static Charset jnu() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }
}
