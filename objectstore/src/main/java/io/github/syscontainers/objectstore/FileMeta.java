package io.github.syscontainers.objectstore;

import java.util.List;
import java.util.Objects;

/**
 * The metadata OSTree keeps for a file or directory: owner, full {@code st_mode} (with the file type bits) and
 * xattrs sorted by name.
 *
 * <p>Immutable and thread-safe.
 */
public record FileMeta(int uid, int gid, int mode, List<Xattr> xattrs) {
  public static final int S_IFMT = 0170000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFLNK = 0120000;

  public FileMeta {
    xattrs = Xattr.sorted(Objects.requireNonNull(xattrs, "xattrs"));
    if ((mode & ~(S_IFMT | 07777)) != 0) {
      throw new IllegalArgumentException("Invalid mode bits " + Integer.toOctalString(mode));
    }
  }

  /** Returns metadata for a directory with the given permission bits. */
  public static FileMeta directory(int uid, int gid, int perms) {
    return new FileMeta(uid, gid, S_IFDIR | (perms & 07777), List.of());
  }

  /** Returns true for a directory mode. */
  public boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  /** Returns true for a regular file mode. */
  public boolean isRegularFile() {
    return (mode & S_IFMT) == S_IFREG;
  }

  /** Returns true for a symlink mode. */
  public boolean isSymlink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  /** Returns the permission bits, including setuid, setgid and sticky. */
  public int permissions() {
    return mode & 07777;
  }
}
