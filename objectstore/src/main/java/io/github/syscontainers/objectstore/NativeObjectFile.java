package io.github.syscontainers.objectstore;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one object file the way ostree does, with one system call per step: an anonymous {@code O_TMPFILE} in the
 * repository's {@code tmp/}, {@code write}, {@code fchown}/{@code fchmod}/{@code fsetxattr}/{@code futimens} on the
 * open descriptor, then {@code linkat} to the object's name (an existing object wins). The JDK has no
 * {@code O_TMPFILE} and re-opens a file for every chmod and utime; this path makes three times fewer calls. A
 * crash leaves nothing behind: the file has no name until it is complete.
 *
 * <p>Not thread-safe: one instance per file, used by one thread.
 */
final class NativeObjectFile implements AutoCloseable {
  private static final int O_WRONLY = 01;
  private static final int O_TMPFILE = 020200000;
  private static final int O_CLOEXEC = 02000000;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_FOLLOW = 0x400;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int F_OK = 0;
  private static final int ENOTDIR = 20;
  private static final int EEXIST = 17;
  private static final int ENOENT = 2;
  private static final int CHUNK = 256 * 1024;

  /**
   * The calls used, bound straight to libc's symbols (JNA's direct mapping): an import makes seven of them per
   * object, and the proxy of an interface mapping cost about 25 microseconds of CPU per object in reflection.
   */
  static final class Libc {
    static final boolean LOADED = register();

    private Libc() {}

    private static boolean register() {
      if (!Platform.isLinux() || !Platform.is64Bit()) {
        return false;
      }
      try {
        Native.register(Libc.class, NativeLibrary.getInstance("c"));
        return true;
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        return false;
      }
    }

    static native int open(String path, int flags, int mode);

    static native long write(int fd, Pointer buf, long count);

    static native int fchown(int fd, int uid, int gid);

    static native int fchmod(int fd, int mode);

    static native int fsetxattr(int fd, String name, byte[] value, long size, int flags);

    static native int futimens(int fd, long[] times);

    static native int fsync(int fd);

    static native int linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    static native int close(int fd);

    static native int faccessat(int dirfd, String path, int mode, int flags);
  }

  /** One native staging buffer per writer thread, not one per file. */
  private static final ThreadLocal<Memory> BUFFERS = ThreadLocal.withInitial(() -> new Memory(CHUNK));

  private final int fd;

  private NativeObjectFile(int fd) {
    this.fd = fd;
  }

  /** Returns true when this path can be used: libc is reachable and {@code tmpDir} takes O_TMPFILE. */
  static boolean supported(Path tmpDir) {
    if (!Libc.LOADED) {
      return false;
    }
    try (NativeObjectFile f = create(tmpDir)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Returns whether {@code path} exists, without following a symlink at its end, or null when libc cannot say
   * (not bound, or an error other than "no such file"): the caller then asks the JDK. The JDK's
   * {@code Files.exists} builds the file's attributes, and a {@code NoSuchFileException} with its stack trace for
   * every object not stored yet, which is most of them in an import. In a profile of the bench layer's import it
   * took 24 microseconds of a writer thread's CPU per object, about half of it in Java, the rest in the kernel's
   * lookup, which this call still makes.
   */
  static Boolean exists(Path path) {
    if (!Libc.LOADED) {
      return null;
    }
    if (Libc.faccessat(AT_FDCWD, path.toString(), F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
      return Boolean.TRUE;
    }
    int e = Native.getLastError();
    return e == ENOENT || e == ENOTDIR ? Boolean.FALSE : null;
  }

  /** Creates an anonymous file in {@code tmpDir}. */
  static NativeObjectFile create(Path tmpDir) throws IOException {
    int fd = Libc.open(tmpDir.toString(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
      throw errno("open O_TMPFILE in " + tmpDir);
    }
    return new NativeObjectFile(fd);
  }

  /** Opens an existing file or directory, to apply metadata to it ({@code flags} gain {@code O_CLOEXEC}). */
  static NativeObjectFile open(Path path, int flags) throws IOException {
    int fd = Libc.open(path.toString(), flags | O_CLOEXEC, 0);
    if (fd < 0) {
      throw errno("open it");
    }
    return new NativeObjectFile(fd);
  }

  /** Writes {@code len} bytes of {@code data} from {@code off}. */
  void write(byte[] data, int off, int len) throws IOException {
    Memory buffer = BUFFERS.get();
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      buffer.write(0, data, off, n);
      long done = 0;
      while (done < n) {
        long w = Libc.write(fd, buffer.share(done), n - done);
        if (w < 0) {
          throw errno("write");
        }
        done += w;
      }
      off += n;
      len -= n;
    }
  }

  /** Applies owner (when asked), mode, xattrs and mtime 0, in that order (chown clears setuid). */
  void applyMetadata(boolean chown, int uid, int gid, int mode, List<Xattr> xattrs) throws IOException {
    if (chown && Libc.fchown(fd, uid, gid) != 0) {
      throw errno("fchown");
    }
    if (Libc.fchmod(fd, mode) != 0) {
      throw errno("fchmod");
    }
    for (Xattr x : xattrs) {
      byte[] v = x.value();
      if (Libc.fsetxattr(fd, x.name(), v, v.length, 0) != 0) {
        throw errno("set the xattr " + x.name());
      }
    }
    // {atime, mtime} as two timespecs: 0 seconds, 0 nanoseconds
    if (Libc.futimens(fd, new long[] {0, 0, 0, 0}) != 0) {
      throw errno("futimens");
    }
  }

  void fsync() throws IOException {
    if (Libc.fsync(fd) != 0) {
      throw errno("fsync");
    }
  }

  /** Gives the file its name; returns false when an object of that name already exists. */
  boolean linkTo(Path target) throws IOException {
    String proc = "/proc/self/fd/" + fd;
    if (Libc.linkat(AT_FDCWD, proc, AT_FDCWD, target.toString(), AT_SYMLINK_FOLLOW) == 0) {
      return true;
    }
    int e = Native.getLastError();
    if (e == EEXIST) {
      return false;
    }
    if (e == ENOENT) {
      java.nio.file.Files.createDirectories(target.getParent());
      if (Libc.linkat(AT_FDCWD, proc, AT_FDCWD, target.toString(), AT_SYMLINK_FOLLOW) == 0) {
        return true;
      }
      if (Native.getLastError() == EEXIST) {
        return false;
      }
    }
    throw errno("link the object to " + target);
  }

  @Override
  public void close() {
    Libc.close(fd);
  }

  private static IOException errno(String what) {
    return new IOException("cannot " + what + " (errno " + Native.getLastError() + ")");
  }
}
