package io.github.syscontainers.objectstore;

import io.github.syscontainers.platform.NativeXattrs;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Reads content objects in any of the four modes: metadata from {@code user.ostreemeta} (bare-user), from the file
 * itself (bare, bare-user-only) or from the {@code .filez} header (archive); payload from the file or the inflated
 * stream.
 *
 * <p>Thread-safe.
 */
final class ContentReader {
  private static final int MAX_HEADER = 1 << 20;

  private final RepoMode mode;
  private final ObjectWriter paths;

  ContentReader(RepoMode mode, ObjectWriter paths) {
    this.mode = mode;
    this.paths = paths;
  }

  ContentObject load(ObjectId id) throws ObjectStoreException {
    Path p = paths.objectPath(id, ObjectType.FILE);
    try {
      switch (mode) {
        case BARE_USER:
          return loadBareUser(id, p);
        case ARCHIVE:
          return loadArchive(id, p);
        default:
          return loadBare(id, p);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw unreadable(id, p, e);
    }
  }

  /** The type, permission bits and size of a content object: one {@code lstat} where the file itself has them. */
  ContentStat stat(ObjectId id) throws ObjectStoreException {
    if (mode == RepoMode.BARE_USER || mode == RepoMode.ARCHIVE) {
      ContentObject o = load(id);
      return new ContentStat(id, o.meta().mode(), o.size(), o.path());
    }
    Path p = paths.objectPath(id, ObjectType.FILE);
    try {
      Map<String, Object> attrs = Files.readAttributes(p, "unix:mode,size", LinkOption.NOFOLLOW_LINKS);
      int m = (Integer) attrs.get("mode");
      boolean symlink = (m & FileMeta.S_IFMT) == FileMeta.S_IFLNK;
      return new ContentStat(id, m, symlink ? 0 : (Long) attrs.get("size"), p);
    } catch (IOException e) {
      throw unreadable(id, p, e);
    }
  }

  /**
   * The metadata a regular file or symlink of a checkout has, read as its object's would be: owner, mode and xattrs
   * from the file ({@code bare}, and any checkout of an {@code archive} repository), or its {@code user.ostreemeta}
   * ({@code bare-user}, which a hard-linked file shares with its object).
   */
  ContentObject loadCheckedOut(ObjectId expected, Path p) throws IOException {
    return mode == RepoMode.BARE_USER ? loadBareUser(expected, p) : loadBareAt(expected, p, mode == RepoMode.BARE_USER_ONLY);
  }

  private static ObjectStoreException unreadable(ObjectId id, Path p, Exception e) {
    if (e instanceof NoSuchFileException) {
      return new ObjectStoreException(
          "Object missing: " + id + ".file in " + p.getParent().getParent().getParent()
              + "; pull the image again to restore it");
    }
    return new ObjectStoreException("Content object " + id + " at " + p + " is unreadable: " + e.getMessage(), e);
  }

  private ContentObject loadBareUser(ObjectId id, Path p) throws IOException {
    byte[] ostreemeta = NativeXattrs.get(p, "user.ostreemeta");
    if (ostreemeta == null) {
      throw new IOException("fgetxattr(user.ostreemeta): No data available");
    }
    FileMeta meta = OstreeCodec.decodeDirMeta(ostreemeta);
    if (meta.isSymlink()) {
      byte[] raw = Files.readAllBytes(p);
      int len = raw.length > 0 && raw[raw.length - 1] == 0 ? raw.length - 1 : raw.length;
      return new ContentObject(id, meta, new String(raw, 0, len, StandardCharsets.UTF_8), 0, p);
    }
    return new ContentObject(id, meta, "", Files.size(p), p);
  }

  private ContentObject loadBare(ObjectId id, Path p) throws IOException {
    return loadBareAt(id, p, mode == RepoMode.BARE_USER_ONLY);
  }

  private static ContentObject loadBareAt(ObjectId id, Path p, boolean user) throws IOException {
    Map<String, Object> attrs = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
    int m = (Integer) attrs.get("mode");
    List<Xattr> xattrs = user ? List.of() : Xattr.of(NativeXattrs.list(p));
    FileMeta meta =
        new FileMeta(user ? 0 : (Integer) attrs.get("uid"), user ? 0 : (Integer) attrs.get("gid"), m, xattrs);
    if (meta.isSymlink()) {
      return new ContentObject(id, meta, Files.readSymbolicLink(p).toString(), 0, p);
    }
    return new ContentObject(id, meta, "", (Long) attrs.get("size"), p);
  }

  private ContentObject loadArchive(ObjectId id, Path p) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(p)))) {
      OstreeCodec.ArchiveHeader h = OstreeCodec.decodeArchiveHeader(readArchiveHeader(in));
      return new ContentObject(id, h.meta(), h.symlinkTarget(), h.size(), p);
    }
  }

  /** Opens the payload of a regular file object, from a stat of it. The caller closes the stream. */
  InputStream openPayload(ContentStat stat) throws ObjectStoreException {
    return openPayload(stat.id(), stat.path());
  }

  /** Opens the payload of a regular file object. The caller closes the stream. */
  InputStream openPayload(ContentObject object) throws ObjectStoreException {
    return openPayload(object.id(), object.path());
  }

  /** The object file itself, or in an archive repository the inflated stream after its header. */
  private InputStream openPayload(ObjectId id, Path path) throws ObjectStoreException {
    try {
      if (mode != RepoMode.ARCHIVE) {
        return Files.newInputStream(path);
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path)));
      readArchiveHeader(in);
      return new InflaterInputStream(in, new Inflater(true)) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            inf.end();
          }
        }
      };
    } catch (IOException e) {
      throw new ObjectStoreException("Tried to read object " + id + " but failed: " + e.getMessage(), e);
    }
  }

  private static byte[] readArchiveHeader(DataInputStream in) throws IOException {
    int len = in.readInt();
    in.readInt();
    if (len < 0 || len > MAX_HEADER) {
      throw new IOException("archive header length " + len + " is out of range");
    }
    byte[] header = new byte[len];
    in.readFully(header);
    return header;
  }
}
