package io.github.syscontainers.platform;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one object file the way ostree does, with one system call per step: an anonymous {@code O_TMPFILE} in the
 * repository's {@code tmp/}, {@code write}, {@code fchown}/{@code fchmod}/{@code fsetxattr}/{@code futimens} on the
 * open descriptor, then {@code linkat} to the object's name (an existing object wins). The JDK has no
 * {@code O_TMPFILE} and re-opens a file for every chmod and utime; this path makes three times fewer calls. A
 * crash leaves nothing behind: the file has no name until it is complete.
 *
 * <p>Not thread-safe: one instance per file, used by one thread.
 */
public final class NativeObjectFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NativeObjectFile.class);
  private static final int O_WRONLY = OpenFlags.O_WRONLY;
  /** The flags of this architecture; the native calls are not used on one without a table. */
  private static final java.util.Optional<OpenFlags> FLAGS = OpenFlags.current();
  private static final int O_TMPFILE = FLAGS.map(OpenFlags::tmpFile).orElse(0);
  private static final int O_DIRECT = FLAGS.map(OpenFlags::direct).orElse(0);
  /** Not following a symlink at the path opened (metadata of a checkout's own files). */
  public static final int O_NOFOLLOW = FLAGS.map(OpenFlags::noFollow).orElse(0);
  private static final int F_GETFL = 3;
  private static final int F_SETFL = 4;
  private static final int EINVAL = 22;
  private static final int O_CLOEXEC = OpenFlags.O_CLOEXEC;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_FOLLOW = 0x400;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int F_OK = 0;
  private static final int ENOTDIR = 20;
  private static final int EEXIST = 17;
  private static final int ENOENT = 2;
  private static final int CHUNK = 256 * 1024;
  /**
   * Direct writes go out in chunks of 1 MiB from a buffer aligned to 4 KiB, a multiple of any device's logical block
   * size; only the tail of a file under 4 KiB is written through the page cache.
   */
  private static final int DIRECT_CHUNK = 1 << 20;
  private static final int ALIGN = 4096;

  /**
   * The calls used, bound straight to libc's symbols (JNA's direct mapping): an import makes seven of them per
   * object, and the proxy of an interface mapping cost about 25 microseconds of CPU per object in reflection.
   */
  static final class Libc {
    static final boolean LOADED = register();

    private Libc() {}

    private static boolean register() {
      if (!com.sun.jna.Platform.isLinux() || !com.sun.jna.Platform.is64Bit() || FLAGS.isEmpty()
          || !io.github.syscontainers.platform.Platform.nativeAllowed()) {
        return false;
      }
      try {
        Native.register(Libc.class, NativeLibrary.getInstance("c"));
        return true;
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        return false;
      }
    }

    static native int open(byte[] path, int flags, int mode);

    static native long write(int fd, Pointer buf, long count);

    static native int fchown(int fd, int uid, int gid);

    static native int fchmod(int fd, int mode);

    static native int fsetxattr(int fd, String name, byte[] value, long size, int flags);

    static native int futimens(int fd, long[] times);

    static native int fsync(int fd);

    static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

    static native int close(int fd);

    static native int fcntl(int fd, int cmd, int arg);

    static native int faccessat(int dirfd, byte[] path, int mode, int flags);
  }

  /** One native staging buffer per writer thread, not one per file. */
  private static final ThreadLocal<Memory> BUFFERS = ThreadLocal.withInitial(() -> new Memory(CHUNK));

  /** One aligned staging buffer per writer thread for direct writes (the view keeps its allocation reachable). */
  private static final ThreadLocal<Memory> DIRECT_BUFFERS =
      ThreadLocal.withInitial(() -> new Memory(DIRECT_CHUNK + ALIGN).align(ALIGN));

  private final int fd;
  /** Whether the descriptor is in O_DIRECT mode; it leaves it for a file's tail, or when the file system refuses. */
  private boolean direct;
  private Memory stage;
  private int staged;

  private NativeObjectFile(int fd, boolean direct) {
    this.fd = fd;
    this.direct = direct;
  }

  /** True when libc's file calls are bound (Linux, 64-bit, an architecture with a flags table, natives allowed). */
  public static boolean available() {
    return Libc.LOADED;
  }

  /**
   * Returns true when this path can be used: libc is reachable, {@code tmpDir} takes O_TMPFILE, and (once per process)
   * an object written there through libc reads back through the JDK as written ({@link LibcSelfTest#objectFile}).
   */
  public static boolean supported(Path tmpDir) {
    if (!Libc.LOADED) {
      return false;
    }
    if (selfTested) {
      try (NativeObjectFile f = create(tmpDir)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    String failure;
    try {
      failure = LibcSelfTest.objectFile(tmpDir);
    } catch (IOException e) {
      return false; // no O_TMPFILE there
    } catch (RuntimeException e) {
      failure = e.toString();
    }
    if (failure != null) {
      LOG.warn("libc's object file calls failed their self-test in {} ({}); objects are written with the JDK's"
          + " file calls", tmpDir, failure);
      return false;
    }
    LOG.debug("object files: libc's O_TMPFILE, linkat and f* calls, self-test passed in {}", tmpDir);
    selfTested = true;
    return true;
  }

  /** Whether an object file self-test passed in this process. */
  private static volatile boolean selfTested;

  /**
   * Returns whether {@code path} exists, without following a symlink at its end, or null when libc cannot say
   * (not bound, or an error other than "no such file"): the caller then asks the JDK. The JDK's
   * {@code Files.exists} builds the file's attributes, and a {@code NoSuchFileException} with its stack trace for
   * every object not stored yet, which is most of them in an import. In a profile of the bench layer's import it
   * took 24 microseconds of a writer thread's CPU per object, about half of it in Java, the rest in the kernel's
   * lookup, which this call still makes.
   */
  public static Boolean exists(Path path) {
    if (!Libc.LOADED) {
      return null;
    }
    if (Libc.faccessat(AT_FDCWD, NativePaths.of(path), F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
      return Boolean.TRUE;
    }
    int e = Native.getLastError();
    return e == ENOENT || e == ENOTDIR ? Boolean.FALSE : null;
  }

  /** Creates an anonymous file in {@code tmpDir}. */
  public static NativeObjectFile create(Path tmpDir) throws IOException {
    int fd = Libc.open(NativePaths.of(tmpDir), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
      throw errno("open O_TMPFILE in " + tmpDir);
    }
    return new NativeObjectFile(fd, false);
  }

  /**
   * Creates an anonymous file in {@code tmpDir} whose content goes to the disk directly ({@code O_DIRECT}), not
   * through the page cache, when the file system takes it; else an ordinary one. Write it with {@link #append} and
   * {@link #finish}.
   */
  public static NativeObjectFile createDirect(Path tmpDir) throws IOException {
    int fd = O_DIRECT == 0 ? -1 : Libc.open(NativePaths.of(tmpDir), O_TMPFILE | O_WRONLY | O_CLOEXEC | O_DIRECT, 0600);
    // refused (EINVAL where the file system has no O_DIRECT): an ordinary file, whose open reports any other error
    return fd >= 0 ? new NativeObjectFile(fd, true) : create(tmpDir);
  }

  /** Opens an existing file or directory, to apply metadata to it ({@code flags} gain {@code O_CLOEXEC}). */
  public static NativeObjectFile open(Path path, int flags) throws IOException {
    int fd = Libc.open(NativePaths.of(path), flags | O_CLOEXEC, 0);
    if (fd < 0) {
      throw errno("open it");
    }
    return new NativeObjectFile(fd, false);
  }

  /** Writes {@code len} bytes of {@code data} from {@code off}. */
  public void write(byte[] data, int off, int len) throws IOException {
    Memory buffer = BUFFERS.get();
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      buffer.write(0, data, off, n);
      writeFully(buffer, n);
      off += n;
      len -= n;
    }
  }

  /**
   * Adds {@code len} bytes of {@code data} to the file: staged, and written a full aligned chunk at a time while the
   * file is direct; written at once otherwise. Call {@link #finish} after the last.
   */
  public void append(byte[] data, int off, int len) throws IOException {
    if (!direct && staged == 0) {
      write(data, off, len);
      return;
    }
    if (stage == null) {
      stage = DIRECT_BUFFERS.get();
    }
    while (len > 0) {
      int n = Math.min(len, DIRECT_CHUNK - staged);
      stage.write(staged, data, off, n);
      staged += n;
      off += n;
      len -= n;
      if (staged == DIRECT_CHUNK) {
        writeFully(stage, DIRECT_CHUNK);
        staged = 0;
      }
    }
  }

  /** Writes what {@link #append} staged: its aligned part directly, the rest (under 4 KiB) through the page cache. */
  public void finish() throws IOException {
    int aligned = staged & -ALIGN;
    if (aligned > 0) {
      writeFully(stage, aligned);
    }
    if (staged > aligned) {
      leaveDirect();
      writeFully(stage.share(aligned), staged - aligned);
    }
    staged = 0;
  }

  private void writeFully(Pointer p, long n) throws IOException {
    long done = 0;
    while (done < n) {
      long w = Libc.write(fd, p.share(done), n - done);
      if (w < 0) {
        // a file system may take O_DIRECT at open and refuse the write (EINVAL): the bytes go through the page cache
        if (direct && Native.getLastError() == EINVAL) {
          leaveDirect();
          continue;
        }
        throw errno("write");
      }
      done += w;
    }
  }

  private void leaveDirect() throws IOException {
    if (!direct) {
      return;
    }
    int flags = Libc.fcntl(fd, F_GETFL, 0);
    if (flags < 0 || Libc.fcntl(fd, F_SETFL, flags & ~O_DIRECT) < 0) {
      throw errno("leave O_DIRECT");
    }
    direct = false;
  }

  /** Applies owner (when asked), mode, xattrs and mtime 0, in that order (chown clears setuid). */
  public void applyMetadata(boolean chown, int uid, int gid, int mode, Map<String, byte[]> xattrs) throws IOException {
    if (chown && Libc.fchown(fd, uid, gid) != 0) {
      throw errno("fchown");
    }
    chmod(mode);
    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
      byte[] v = x.getValue();
      if (Libc.fsetxattr(fd, x.getKey(), v, v.length, 0) != 0) {
        throw errno("set the xattr " + x.getKey());
      }
    }
    // {atime, mtime} as two timespecs: 0 seconds, 0 nanoseconds
    if (Libc.futimens(fd, new long[] {0, 0, 0, 0}) != 0) {
      throw errno("futimens");
    }
  }

  /** Sets the mode alone, as a metadata object has it. */
  public void chmod(int mode) throws IOException {
    if (Libc.fchmod(fd, mode) != 0) {
      throw errno("fchmod");
    }
  }

  public void fsync() throws IOException {
    if (Libc.fsync(fd) != 0) {
      throw errno("fsync");
    }
  }

  /** Gives the file its name; returns false when an object of that name already exists. */
  public boolean linkTo(Path target) throws IOException {
    String proc = "/proc/self/fd/" + fd;
    if (Libc.linkat(AT_FDCWD, NativePaths.of(proc), AT_FDCWD, NativePaths.of(target), AT_SYMLINK_FOLLOW) == 0) {
      return true;
    }
    int e = Native.getLastError();
    if (e == EEXIST) {
      return false;
    }
    if (e == ENOENT) {
      java.nio.file.Files.createDirectories(target.getParent());
      if (Libc.linkat(AT_FDCWD, NativePaths.of(proc), AT_FDCWD, NativePaths.of(target), AT_SYMLINK_FOLLOW) == 0) {
        return true;
      }
      if (Native.getLastError() == EEXIST) {
        return false;
      }
    }
    throw errno("link the object to " + target);
  }

  /** The file's descriptor, for tests that ask the kernel about it. */
  public int descriptor() {
    return fd;
  }

  @Override
  public void close() {
    Libc.close(fd);
  }

  private static IOException errno(String what) {
    return new IOException("cannot " + what + " (" + Errno.describe(Native.getLastError()) + ")");
  }
}
