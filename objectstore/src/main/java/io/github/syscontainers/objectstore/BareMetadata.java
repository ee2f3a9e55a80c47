package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * Applies metadata to an object of a {@code bare} repository, where the object's own owner, mode and xattrs are the
 * truth: owner first (chown clears setuid), then mode, then xattrs, then mtime 0.
 */
final class BareMetadata {
  private BareMetadata() {}

  static void apply(Path p, FileMeta meta, boolean symlink) throws IOException {
    Files.setAttribute(p, "unix:uid", meta.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", meta.gid(), LinkOption.NOFOLLOW_LINKS);
    if (symlink) {
      if (!meta.xattrs().isEmpty()) {
        throw new ObjectStoreException(
            "Cannot store xattrs on the symlink " + p + " in a bare repository; use a bare-user repository");
      }
      return;
    }
    ObjectWriter.setMode(p, meta.permissions());
    if (!meta.xattrs().isEmpty()) {
      UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
      for (Xattr x : meta.xattrs()) {
        if (!x.name().startsWith("user.")) {
          throw new ObjectStoreException(
              "Cannot store the xattr " + x.name() + " in a bare repository: the JVM can only set user.* xattrs. "
                  + "Use a bare-user repository (set ATOMIC_OSTREE_REPO to a new directory)");
        }
        view.write(x.name().substring("user.".length()), ByteBuffer.wrap(x.value()));
      }
    }
    Files.setLastModifiedTime(p, FileTime.fromMillis(0));
  }
}
