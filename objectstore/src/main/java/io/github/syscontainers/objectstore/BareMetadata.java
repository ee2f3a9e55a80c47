package io.github.syscontainers.objectstore;

import io.github.syscontainers.platform.NativeXattrs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Applies metadata to an object of a {@code bare} repository, where the object's own owner, mode and xattrs are the
 * truth: owner first (chown clears setuid), then mode, then xattrs, then mtime 0.
 */
final class BareMetadata {
  private BareMetadata() {}

  /** @param chown false when the new file already has the wanted owner (it was created by that user) */
  static void apply(Path p, FileMeta meta, boolean symlink, boolean chown) throws IOException {
    if (chown) {
      Files.setAttribute(p, "unix:uid", meta.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", meta.gid(), LinkOption.NOFOLLOW_LINKS);
    }
    if (!symlink) {
      ObjectWriter.setMode(p, meta.permissions());
    }
    for (Xattr x : meta.xattrs()) {
      NativeXattrs.set(p, x.name(), x.value());
    }
    if (!symlink) {
      Files.setLastModifiedTime(p, FileTime.fromMillis(0));
    }
  }
}
