package io.github.syscontainers.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in its own JVM by {@link NativePathsTest}: sets and reads an xattr through libc on a file the JDK created with
 * a non-ASCII name, and prints what it read.
 */
public final class NativePathsMain {
  private NativePathsMain() {}

  public static void main(String[] args) throws Exception {
    Path f = Files.writeString(Path.of(args[0]).resolve("caf\u00e9-\u00fc.txt"), "x");
    NativeXattrs.set(f, "user.syscontainers.test", "v".getBytes(StandardCharsets.UTF_8));
    byte[] v = NativeXattrs.get(f, "user.syscontainers.test");
    System.out.println(v == null ? "none" : new String(v, StandardCharsets.UTF_8));
  }
}
