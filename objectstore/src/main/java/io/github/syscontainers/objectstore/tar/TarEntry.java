package io.github.syscontainers.objectstore.tar;

import java.util.List;
import java.util.Objects;

/**
 * One tar entry as the layer format means it, with the raw bytes the tar carried: the name and link target
 * (validated UTF-8), mode bits, owner, size, device numbers, and xattrs from PAX {@code SCHILY.xattr.*} or
 * {@code LIBARCHIVE.xattr.*} records with their values byte for byte, and the modification time in whole seconds since
 * the epoch (which the store does not keep; a zstd:chunked table of contents does).
 *
 * <p>Immutable and thread-safe.
 */
public record TarEntry(
    String name,
    Type type,
    int mode,
    long uid,
    long gid,
    long size,
    String linkName,
    int devMajor,
    int devMinor,
    List<RawXattr> xattrs,
    long mtime) {

  /** The kinds of entry a layer may hold. */
  public enum Type {
    FILE,
    HARD_LINK,
    SYMLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    DIRECTORY,
    FIFO
  }

  /** An xattr as the tar carried it. */
  public record RawXattr(String name, byte[] value) {
    public RawXattr {
      Objects.requireNonNull(name, "name");
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  public TarEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(linkName, "linkName");
    xattrs = List.copyOf(xattrs);
  }
}
