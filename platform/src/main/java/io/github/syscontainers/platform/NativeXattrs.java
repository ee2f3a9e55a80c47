package io.github.syscontainers.platform;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extended attributes in every namespace, without following symlinks: {@code lsetxattr}, {@code llistxattr} and
 * {@code lgetxattr} from libc through JNA, because the JDK reaches only {@code user.*} and a bare repository or a
 * root checkout must carry {@code security.capability}. Where libc cannot be loaded, {@code user.*} still works
 * through the JDK and other names fail with a message that says so.
 *
 * <p>Thread-safe.
 */
public final class NativeXattrs {
  private static final Logger LOG = LoggerFactory.getLogger(NativeXattrs.class);
  private static final int ENOENT = 2;
  private static final int ERANGE = 34;
  private static final int ENODATA = 61;
  private static final int ENOTSUP = 95;

  /** The libc calls used. */
  interface CLib extends Library {
    int lsetxattr(byte[] path, String name, byte[] value, long size, int flags);

    long llistxattr(byte[] path, byte[] list, long size);

    long lgetxattr(byte[] path, String name, byte[] value, long size);

    int lremovexattr(byte[] path, String name);

    int open(byte[] path, int flags);

    int syncfs(int fd);

    int close(int fd);
  }

  static final CLib LIBC = load();

  /** True when libc's xattr calls are bound; else only {@code user.*} xattrs, through the JDK, are available. */
  public static boolean available() {
    return LIBC != null;
  }

  private NativeXattrs() {}

  private static CLib load() {
    if (!com.sun.jna.Platform.isLinux() || !Platform.nativeAllowed()) {
      return null;
    }
    CLib lib;
    try {
      lib = Native.load("c", CLib.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.warn("Cannot load libc through JNA ({}); only user.* xattrs are available", e.toString());
      return null;
    }
    String failure;
    try {
      failure = LibcSelfTest.xattrs(lib);
    } catch (IOException | RuntimeException e) {
      failure = e.toString();
    }
    if (failure != null) {
      LOG.warn("libc's xattr calls failed their self-test ({}); only user.* xattrs are available, through the JDK",
          failure);
      return null;
    }
    LOG.debug("xattrs: libc's l*xattr calls, self-test passed");
    return lib;
  }

  /**
   * Flushes the whole filesystem holding {@code p} to disk with one {@code syncfs}, as ostree does at the end of a
   * transaction. Returns false when the call is unavailable, so the caller falls back to fsync per file.
   */
  public static boolean syncFilesystem(Path p) {
    if (LIBC == null) {
      return false;
    }
    // close-on-exec: a runtime started meanwhile by another thread must not inherit it
    int fd = LIBC.open(NativePaths.of(p), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
    if (fd < 0) {
      return false;
    }
    try {
      return LIBC.syncfs(fd) == 0;
    } finally {
      LIBC.close(fd);
    }
  }

  /** Sets {@code name} on {@code p} (a symlink itself, not its target). */
  public static void set(Path p, String name, byte[] value) throws IOException {
    if (LIBC == null) {
      if (!name.startsWith("user.")) {
        throw new IOException("cannot set the xattr " + name + " on " + p + ": without libc's xattr calls only user.*"
            + " xattrs can be written (" + (Platform.nativeAllowed() ? "libc could not be loaded through JNA"
            : "-Dsyscontainers.native=false turned them off") + ")");
      }
      Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
          .write(name.substring(5), ByteBuffer.wrap(value));
      return;
    }
    if (LIBC.lsetxattr(NativePaths.of(p), name, value, value.length, 0) != 0) {
      int errno = Native.getLastError();
      throw new IOException(
          "cannot set the xattr " + name + " on " + p + " (" + Errno.describe(errno)
              + (errno == ENOTSUP ? ", the filesystem does not support it" : "") + ")");
    }
  }

  /** Returns every xattr of {@code p} (a symlink itself, not its target), name to value, in listing order. */
  public static Map<String, byte[]> list(Path p) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (LIBC == null) {
      if (Files.isSymbolicLink(p)) {
        return out;
      }
      UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
      for (String n : view.list()) {
        ByteBuffer buf = ByteBuffer.allocate(view.size(n));
        view.read(n, buf);
        out.put("user." + n, buf.array());
      }
      return out;
    }
    byte[] path = NativePaths.of(p);
    byte[] names = new byte[1024];
    long n;
    while ((n = LIBC.llistxattr(path, names, names.length)) < 0) {
      int errno = Native.getLastError();
      if (errno == ENOTSUP) {
        return out;
      }
      if (errno != ERANGE) {
        throw new IOException("cannot list the xattrs of " + p + " (" + Errno.describe(errno) + ")");
      }
      names = new byte[names.length * 4];
    }
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (names[i] == 0) {
        String name = new String(names, start, i - start, StandardCharsets.UTF_8);
        start = i + 1;
        byte[] value = get(path, name);
        if (value != null) {
          out.put(name, value);
        }
      }
    }
    return out;
  }

  /** Removes an xattr from {@code p} (a symlink itself, not its target). */
  public static void remove(Path p, String name) throws IOException {
    if (LIBC == null) {
      Files.getFileAttributeView(p, UserDefinedFileAttributeView.class).delete(name.substring(5));
      return;
    }
    if (LIBC.lremovexattr(NativePaths.of(p), name) != 0) {
      throw new IOException("cannot remove the xattr " + name + " of " + p + " (" + Errno.describe(Native.getLastError()) + ")");
    }
  }

  /** Returns one xattr of {@code p}, or null when it has none of that name. */
  public static byte[] get(Path p, String name) throws IOException {
    if (LIBC == null) {
      UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
      if (!name.startsWith("user.") || !view.list().contains(name.substring(5))) {
        return null;
      }
      ByteBuffer buf = ByteBuffer.allocate(view.size(name.substring(5)));
      view.read(name.substring(5), buf);
      return buf.array();
    }
    return get(NativePaths.of(p), name);
  }

  private static byte[] get(byte[] path, String name) throws IOException {
    byte[] buf = new byte[256];
    while (true) {
      long n = LIBC.lgetxattr(path, name, buf, buf.length);
      if (n >= 0) {
        return java.util.Arrays.copyOf(buf, (int) n);
      }
      int errno = Native.getLastError();
      if (errno == ENODATA) {
        return null;
      }
      if (errno == ENOENT) {
        throw new java.nio.file.NoSuchFileException(show(path));
      }
      if (errno != ERANGE || buf.length > (1 << 20)) {
        throw new IOException("cannot read the xattr " + name + " of " + show(path) + " (" + Errno.describe(errno)
            + ")");
      }
      buf = new byte[buf.length * 4];
    }
  }

  /** A NUL-terminated path, for messages. */
  private static String show(byte[] path) {
    return new String(path, 0, path.length - 1, NativePaths.charset());
  }
}
