package io.github.syscontainers.objectstore;

import io.github.syscontainers.objectstore.gvariant.GVariant;
import io.github.syscontainers.objectstore.gvariant.GVariantType;
import io.github.syscontainers.objectstore.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Encodes and decodes OSTree's objects and headers as GVariant in normal form. uid, gid, mode, rdev, the commit
 * timestamp and the archive size are big-endian on disk; framing offsets are little-endian.
 *
 * <p>Stateless and thread-safe.
 *
 * @see <a href="https://github.com/ostreedev/ostree/blob/main/src/libostree/ostree-core.h">ostree-core.h</a>
 */
public final class OstreeCodec {
  static final GVariantType COMMIT = GVariantType.of("(a{sv}aya(say)sstayay)");
  static final GVariantType DIRTREE = GVariantType.of("(a(say)a(sayay))");
  static final GVariantType DIRMETA = GVariantType.of("(uuua(ayay))");
  static final GVariantType FILE_HEADER = GVariantType.of("(uuuusa(ayay))");
  static final GVariantType ARCHIVE_HEADER = GVariantType.of("(tuuuusa(ayay))");
  static final GVariantType METADATA = GVariantType.of("a{sv}");

  private OstreeCodec() {}

  /** Encodes a commit object. */
  public static byte[] encodeCommit(Commit c) {
    List<Object> md = new ArrayList<>();
    for (Map.Entry<String, Variant> e : c.metadata().entrySet()) {
      md.add(List.of(e.getKey(), e.getValue()));
    }
    return GVariant.serialize(
        COMMIT,
        List.of(
            md,
            c.parent().map(ObjectId::toBytes).orElse(new byte[0]),
            List.of(),
            c.subject(),
            c.body(),
            Long.reverseBytes(c.timestamp()),
            c.rootTree().toBytes(),
            c.rootMeta().toBytes()));
  }

  /** Decodes a commit object. */
  public static Commit decodeCommit(byte[] data) {
    List<?> t = (List<?>) GVariant.deserialize(COMMIT, data);
    Map<String, Variant> md = new LinkedHashMap<>();
    for (Object entry : (List<?>) t.get(0)) {
      List<?> kv = (List<?>) entry;
      md.put((String) kv.get(0), (Variant) kv.get(1));
    }
    byte[] parent = (byte[]) t.get(1);
    return new Commit(
        md,
        parent.length == 0 ? Optional.empty() : Optional.of(ObjectId.of(parent)),
        (String) t.get(3),
        (String) t.get(4),
        Long.reverseBytes((Long) t.get(5)),
        ObjectId.of((byte[]) t.get(6)),
        ObjectId.of((byte[]) t.get(7)));
  }

  /** Encodes a dirtree object. */
  public static byte[] encodeDirTree(DirTree tree) {
    List<Object> files = new ArrayList<>(tree.files().size());
    for (DirTree.FileEntry f : tree.files()) {
      files.add(List.of(f.name(), f.checksum().toBytes()));
    }
    List<Object> dirs = new ArrayList<>(tree.dirs().size());
    for (DirTree.DirEntry d : tree.dirs()) {
      dirs.add(List.of(d.name(), d.tree().toBytes(), d.meta().toBytes()));
    }
    return GVariant.serialize(DIRTREE, List.of(files, dirs));
  }

  /** Decodes a dirtree object. */
  public static DirTree decodeDirTree(byte[] data) {
    List<?> t = (List<?>) GVariant.deserialize(DIRTREE, data);
    List<DirTree.FileEntry> files = new ArrayList<>();
    for (Object o : (List<?>) t.get(0)) {
      List<?> e = (List<?>) o;
      files.add(new DirTree.FileEntry((String) e.get(0), ObjectId.of((byte[]) e.get(1))));
    }
    List<DirTree.DirEntry> dirs = new ArrayList<>();
    for (Object o : (List<?>) t.get(1)) {
      List<?> e = (List<?>) o;
      dirs.add(
          new DirTree.DirEntry((String) e.get(0), ObjectId.of((byte[]) e.get(1)), ObjectId.of((byte[]) e.get(2))));
    }
    return new DirTree(files, dirs);
  }

  /** Encodes a dirmeta object, which is also the bare-user {@code user.ostreemeta} value. */
  public static byte[] encodeDirMeta(FileMeta meta) {
    return GVariant.serialize(
        DIRMETA,
        List.of(
            Integer.reverseBytes(meta.uid()),
            Integer.reverseBytes(meta.gid()),
            Integer.reverseBytes(meta.mode()),
            xattrList(meta)));
  }

  /** Decodes a dirmeta object or a {@code user.ostreemeta} value. */
  public static FileMeta decodeDirMeta(byte[] data) {
    List<?> t = (List<?>) GVariant.deserialize(DIRMETA, data);
    return new FileMeta(
        Integer.reverseBytes((Integer) t.get(0)),
        Integer.reverseBytes((Integer) t.get(1)),
        Integer.reverseBytes((Integer) t.get(2)),
        xattrs((List<?>) t.get(3)));
  }

  /** Encodes the hashed content header {@code (uuuusa(ayay))}; rdev is always 0. */
  public static byte[] encodeFileHeader(FileMeta meta, String symlinkTarget) {
    return GVariant.serialize(
        FILE_HEADER,
        List.of(
            Integer.reverseBytes(meta.uid()),
            Integer.reverseBytes(meta.gid()),
            Integer.reverseBytes(meta.mode()),
            0,
            symlinkTarget,
            xattrList(meta)));
  }

  /** Encodes the archive {@code .filez} header {@code (tuuuusa(ayay))}. */
  public static byte[] encodeArchiveHeader(long size, FileMeta meta, String symlinkTarget) {
    return GVariant.serialize(
        ARCHIVE_HEADER,
        List.of(
            Long.reverseBytes(size),
            Integer.reverseBytes(meta.uid()),
            Integer.reverseBytes(meta.gid()),
            Integer.reverseBytes(meta.mode()),
            0,
            symlinkTarget,
            xattrList(meta)));
  }

  /** The decoded archive header: size, metadata and symlink target. */
  public record ArchiveHeader(long size, FileMeta meta, String symlinkTarget) {}

  /** Decodes an archive {@code .filez} header. */
  public static ArchiveHeader decodeArchiveHeader(byte[] data) {
    List<?> t = (List<?>) GVariant.deserialize(ARCHIVE_HEADER, data);
    FileMeta meta =
        new FileMeta(
            Integer.reverseBytes((Integer) t.get(1)),
            Integer.reverseBytes((Integer) t.get(2)),
            Integer.reverseBytes((Integer) t.get(3)),
            xattrs((List<?>) t.get(6)));
    return new ArchiveHeader(Long.reverseBytes((Long) t.get(0)), meta, (String) t.get(5));
  }

  /** Returns the 8-byte prefix of a hashed or archive header: BE32 length and four zero bytes. */
  public static byte[] headerPrefix(int headerLength) {
    return new byte[] {
      (byte) (headerLength >>> 24), (byte) (headerLength >>> 16), (byte) (headerLength >>> 8), (byte) headerLength,
      0, 0, 0, 0
    };
  }

  private static List<Object> xattrList(FileMeta meta) {
    List<Object> out = new ArrayList<>(meta.xattrs().size());
    for (Xattr x : meta.xattrs()) {
      byte[] name = x.name().getBytes(StandardCharsets.UTF_8);
      out.add(List.of(Arrays.copyOf(name, name.length + 1), x.value()));
    }
    return out;
  }

  private static List<Xattr> xattrs(List<?> raw) {
    List<Xattr> out = new ArrayList<>(raw.size());
    for (Object o : raw) {
      List<?> e = (List<?>) o;
      byte[] name = (byte[]) e.get(0);
      int len = name.length > 0 && name[name.length - 1] == 0 ? name.length - 1 : name.length;
      out.add(new Xattr(new String(name, 0, len, StandardCharsets.UTF_8), (byte[]) e.get(1)));
    }
    return out;
  }
}
