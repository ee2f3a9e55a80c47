package io.github.syscontainers.objectstore;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A content object as read back from the repository: its metadata, symlink target ({@code ""} for regular files),
 * payload size and the object file on disk.
 *
 * <p>Immutable and thread-safe.
 */
public record ContentObject(ObjectId id, FileMeta meta, String symlinkTarget, long size, Path path) {
  public ContentObject {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(symlinkTarget, "symlinkTarget");
    Objects.requireNonNull(path, "path");
  }

  /** Returns true for a symlink. */
  public boolean isSymlink() {
    return meta.isSymlink();
  }
}
