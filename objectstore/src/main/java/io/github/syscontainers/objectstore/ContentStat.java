package io.github.syscontainers.objectstore;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a checkout needs to decide whether a content object can be hard-linked, and to link it: its {@code st_mode}
 * (type and permission bits), payload size (0 for a symlink, as in {@link ContentObject}) and the object file. In
 * {@code bare} and {@code bare-user-only} repositories one {@code lstat} gives it, without the xattrs or a
 * symlink's target that a {@link ContentObject} reads.
 *
 * <p>Immutable and thread-safe.
 */
public record ContentStat(ObjectId id, int mode, long size, Path path) {
  public ContentStat {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
  }

  /** Returns true for a symlink. */
  public boolean isSymlink() {
    return (mode & FileMeta.S_IFMT) == FileMeta.S_IFLNK;
  }

  /** The permission bits, setuid, setgid and sticky included. */
  public int permissions() {
    return mode & 07777;
  }
}
