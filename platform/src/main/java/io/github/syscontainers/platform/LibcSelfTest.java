package io.github.syscontainers.platform;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.Map;

/**
 * Known-answer tests of the libc pieces, run once before they serve (issue 30): what the native calls write, the
 * JDK reads back as written, and what the JDK writes, the native calls read. A failure leaves the JDK's calls in use,
 * with one warning (the callers log it).
 */
final class LibcSelfTest {
  private static final int ENOTSUP = 95;
  private static final String NAME = "user.syscontainers-self-test";

  private LibcSelfTest() {}

  /** How many object file self-tests this process began: a part of each one's file name. */
  private static final java.util.concurrent.atomic.AtomicLong SELF_TESTS =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Null when an object file written through libc in {@code tmpDir} (its content through the page cache and
   * directly, mode 0640, mtime 0, named by {@code linkat}) reads back through the JDK as written; else what differed.
   *
   * @throws IOException when {@code tmpDir} takes no {@code O_TMPFILE} (the file system cannot, which is no failure
   *     of the calls)
   */
  static String objectFile(Path tmpDir) throws IOException {
    byte[] data = new byte[3 * 4096 + 100];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + (i >> 8));
    }
    for (boolean direct : new boolean[] {false, true}) {
      // a name no other thread's self-test takes: writer threads may run it at once, within one clock tick (a CI
      // run saw "linkat found the new name taken" with the pid and the time alone in the name)
      Path target = tmpDir.resolve(".platform-self-test-" + ProcessHandle.current().pid() + "-"
          + SELF_TESTS.incrementAndGet() + "-" + System.nanoTime());
      try {
        try (NativeObjectFile f = direct ? NativeObjectFile.createDirect(tmpDir) : NativeObjectFile.create(tmpDir)) {
          if (direct) {
            f.append(data, 0, data.length);
            f.finish();
          } else {
            f.write(data, 0, data.length);
          }
          f.applyMetadata(false, 0, 0, 0640, Map.of());
          if (!f.linkTo(target)) {
            return "linkat found the new name taken";
          }
        }
        String what = direct ? "a direct write" : "a write";
        if (!Arrays.equals(Files.readAllBytes(target), data)) {
          return what + " read back other bytes";
        }
        int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        if (mode != 0640) {
          return what + " left the mode " + Integer.toOctalString(mode) + ", not 640";
        }
        long mtime = Files.getLastModifiedTime(target, LinkOption.NOFOLLOW_LINKS).toMillis();
        if (mtime != 0) {
          return what + " left the mtime " + mtime + " ms, not 0";
        }
      } finally {
        Files.deleteIfExists(target);
      }
    }
    return null;
  }

  /**
   * Null when an xattr set through libc on a file in the JDK's temporary directory reads back through the JDK, one
   * the JDK set is listed and read through libc, and a removal through libc is seen by the JDK; else what differed.
   * Null too when that directory's file system keeps no {@code user.*} xattrs: nothing could be checked there.
   */
  static String xattrs(NativeXattrs.CLib libc) throws IOException {
    Path file;
    try {
      file = Files.createTempFile("platform-self-test", "");
    } catch (IOException | UnsupportedOperationException e) {
      return null; // nowhere to check: the calls are used, and their errors reported as they come
    }
    try {
      byte[] path = NativePaths.of(file);
      byte[] value = "known answer \0 with a NUL".getBytes(StandardCharsets.UTF_8);
      if (libc.lsetxattr(path, NAME, value, value.length, 0) != 0) {
        int errno = Native.getLastError();
        return errno == ENOTSUP ? null : "lsetxattr failed (" + Errno.describe(errno) + ")";
      }
      UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
      if (view == null) {
        return null; // the JDK cannot read them there: nothing to compare with
      }
      String jdkName = NAME.substring("user.".length());
      ByteBuffer read = ByteBuffer.allocate(view.size(jdkName));
      view.read(jdkName, read);
      if (!Arrays.equals(read.array(), value)) {
        return "the JDK read other bytes than lsetxattr wrote";
      }
      view.write("syscontainers-jdk", ByteBuffer.wrap(new byte[] {1, 2, 3}));
      byte[] names = new byte[4096];
      long n = libc.llistxattr(path, names, names.length);
      String listed = n < 0 ? "" : new String(names, 0, (int) n, StandardCharsets.UTF_8);
      if (!Arrays.asList(listed.split("\0")).containsAll(Arrays.asList(NAME, "user.syscontainers-jdk"))) {
        return "llistxattr listed " + listed.replace('\0', ' ') + "without both names set";
      }
      byte[] got = new byte[16];
      long len = libc.lgetxattr(path, "user.syscontainers-jdk", got, got.length);
      if (len != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3) {
        return "lgetxattr read other bytes than the JDK wrote";
      }
      if (libc.lremovexattr(path, NAME) != 0 || view.list().contains(jdkName)) {
        return "lremovexattr left the xattr in place";
      }
      return null;
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
