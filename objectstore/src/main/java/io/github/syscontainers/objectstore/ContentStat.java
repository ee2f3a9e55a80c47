package io.github.syscontainers.objectstore;

import java.util.Objects;

/**
 * What a checkout needs to decide whether a content object can be hard-linked: its {@code st_mode} (type and
 * permission bits) and payload size (0 for a symlink, as in {@link ContentObject}). In {@code bare} and {@code bare-user-only} repositories one {@code lstat} gives
 * it, without the xattrs or a symlink's target that a {@link ContentObject} reads.
 *
 * <p>Immutable and thread-safe.
 */
public record ContentStat(ObjectId id, int mode, long size) {
  public ContentStat {
    Objects.requireNonNull(id, "id");
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
