package io.github.syscontainers.objectstore;

import io.github.syscontainers.platform.NativeObjectFile;
import io.github.syscontainers.platform.NativeXattrs;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes objects into a repository in its mode: streams the payload into a temporary file under {@code tmp/} while
 * hashing the OSTree content header and the bytes, applies the mode's metadata, then publishes the file with a hard
 * link to its final name (an existing object wins) and removes the temporary file. A crash leaves at most a stray
 * file under {@code tmp/}, never a partial object.
 *
 * <p>Thread-safe: every call uses its own temporary file.
 */
final class ObjectWriter {
  private static final FileTime EPOCH = FileTime.fromMillis(0);
  private static final int BUFFER = 64 * 1024;
  /**
   * Objects of at least 64 KiB go to the disk directly ({@code O_DIRECT}) when the repository syncs its objects,
   * which it does unless {@code core.fsync=false}: their bytes are written out before the commit either way, and
   * through the page cache they first cost it a new page for every 4 KiB. On the bench machine, a virtual machine that
   * hands free memory back to its host, each such page faulted into the host: writing 256 MB into new files took
   * 1.0-1.4 s of system time whatever the write size, and 0.14-0.38 s with direct writes of 256 KiB-1 MiB, with
   * 0.03-0.09 s of CPU. Importing the bench's 155 MB layer, 4 alternating pairs: 3.35-3.54 s direct vs 4.07-4.75 s
   * through the page cache. Other thresholds, 4 to 6 alternating pairs against 64 KiB: 16 KiB no different, 8 KiB
   * and 256 KiB slower (medians 0.11 s and 0.26 s more). Smaller files stay in the page cache: a direct write waits
   * for the disk, and a small one is mostly that wait.
   */
  private static final long DIRECT_MIN = 64 << 10;

  private final Path repo;
  private final Path objects;
  private final RepoMode mode;
  private final boolean fsync;
  private final int processUid;
  private final int processGid;
  /**
   * Whether objects are written through {@link NativeObjectFile}; decided at the first write, so that opening a
   * repository to read it (a warm install) loads no native code and creates no probe file.
   */
  private volatile Boolean nativeFiles;

  /**
   * @param fsync make objects durable: with one {@code syncfs} before each commit when libc is reachable (as
   *     ostree does per transaction), else with an fsync per object
   */
  ObjectWriter(Path repo, RepoMode mode, boolean fsync) {
    this.repo = repo;
    this.objects = repo.resolve("objects");
    this.mode = mode;
    this.fsync = fsync;
    int uid = -1;
    int gid = -1;
    try {
      uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    } catch (IOException | UnsupportedOperationException e) {
      // unknown: always chown
    }
    this.processUid = uid;
    this.processGid = gid;
  }

  /** Whether objects are written through libc's calls (for tests). */
  boolean nativeFilesInUse() {
    return nativeFiles();
  }

  /** This writer, writing every object with the JDK's file calls (the twin of the native path), for tests. */
  ObjectWriter withoutNativeFiles() {
    nativeFiles = false;
    return this;
  }

  /** Without libc's syncfs, each object is fsynced on its own. */
  private boolean perObjectFsync() {
    return fsync && !NativeXattrs.available();
  }

  private boolean nativeFiles() {
    Boolean n = nativeFiles;
    if (n == null) {
      // two threads may both probe: each makes and drops an anonymous file, and they agree
      n = (mode == RepoMode.BARE || mode == RepoMode.BARE_USER) && NativeObjectFile.supported(repo.resolve("tmp"));
      nativeFiles = n;
    }
    return n;
  }

  /** Makes every object written so far durable, before a commit names them. */
  void sync() throws ObjectStoreException {
    if (fsync && !perObjectFsync() && !NativeXattrs.syncFilesystem(repo)) {
      throw new ObjectStoreException("syncfs on " + repo + " failed; the objects may not be on disk yet");
    }
  }

  /**
   * Writes a regular file's content object from bytes in memory: hashed first, so content already stored costs one
   * {@code stat}, and new content is written to a temporary file and renamed into place.
   */
  WrittenObject writeFile(FileMeta meta, byte[] data, int len) throws ObjectStoreException {
    FileMeta stored = canonical(meta);
    byte[] header = OstreeCodec.encodeFileHeader(stored, "");
    MessageDigest sha = io.github.syscontainers.model.Digest.newSha256();
    sha.update(OstreeCodec.headerPrefix(header.length));
    sha.update(header);
    sha.update(data, 0, len);
    ObjectId id = ObjectId.of(sha.digest());
    Path target = objectPath(id, ObjectType.FILE);
    if (stored(target)) {
      return new WrittenObject(id, InsertResult.ALREADY_PRESENT);
    }
    if (nativeFiles()) {
      return writeNative(id, target, stored, data, len);
    }
    Path tmp = tempFile();
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        if (mode == RepoMode.ARCHIVE) {
          OutputStream raw = Channels.newOutputStream(ch);
          byte[] archiveHeader = OstreeCodec.encodeArchiveHeader(len, stored, "");
          raw.write(OstreeCodec.headerPrefix(archiveHeader.length));
          raw.write(archiveHeader);
          Deflater deflater = new Deflater(6, true);
          try (DeflaterOutputStream z = new DeflaterOutputStream(nonClosing(raw), deflater, BUFFER)) {
            z.write(data, 0, len);
          } finally {
            deflater.end();
          }
        } else {
          ByteBuffer buf = ByteBuffer.wrap(data, 0, len);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        }
        if (perObjectFsync()) {
          ch.force(true);
        }
      }
      applyFileMetadata(tmp, stored, false);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        Files.createDirectories(target.getParent());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return new WrittenObject(id, InsertResult.INSERTED);
    } catch (IOException e) {
      throw failure("write a file object", tmp, e);
    }
  }

  /** Whether an object file is at {@code target} already (a symlink there is not followed). */
  private static boolean stored(Path target) {
    Boolean known = NativeObjectFile.exists(target);
    return known != null ? known : Files.exists(target, LinkOption.NOFOLLOW_LINKS);
  }

  /** Writes a metadata object whose name is the SHA-256 of its bytes. */
  WrittenObject writeMetadata(ObjectType type, byte[] data) throws ObjectStoreException {
    ObjectId id = ObjectId.of(io.github.syscontainers.model.Digest.newSha256().digest(data));
    Path target = objectPath(id, type);
    if (stored(target)) {
      return new WrittenObject(id, InsertResult.ALREADY_PRESENT);
    }
    if (nativeFiles()) {
      return writeMetadataNative(type, id, target, data);
    }
    Path tmp = tempFile();
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (perObjectFsync()) {
          ch.force(true);
        }
      }
      setMode(tmp, 0644);
      return new WrittenObject(id, publish(tmp, target));
    } catch (IOException e) {
      throw failure("write " + type.extension() + " object " + id, tmp, e);
    }
  }

  /**
   * The native path for a metadata object: an anonymous file, mode 0644, linked to its name; no temporary name to
   * make, link and remove. The end of an import writes its dirtrees on one thread: for the bench layer, 122-133 ms
   * this way instead of 167-189 ms (three runs each, from the import's debug log).
   */
  private WrittenObject writeMetadataNative(ObjectType type, ObjectId id, Path target, byte[] data)
      throws ObjectStoreException {
    try (NativeObjectFile f = NativeObjectFile.create(repo.resolve("tmp"))) {
      f.write(data, 0, data.length);
      f.chmod(0644);
      return new WrittenObject(id, link(f, target));
    } catch (IOException e) {
      throw new ObjectStoreException(
          "Tried to write " + type.extension() + " object " + id + " in " + repo + " but failed: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a regular file's content object, reading exactly {@code size} bytes from {@code payload} (not closed).
   *
   * @throws ObjectStoreException when the stream ends early, or the object cannot be written
   */
  WrittenObject writeFile(FileMeta meta, InputStream payload, long size) throws ObjectStoreException {
    FileMeta stored = canonical(meta);
    byte[] header = OstreeCodec.encodeFileHeader(stored, "");
    MessageDigest sha = io.github.syscontainers.model.Digest.newSha256();
    sha.update(OstreeCodec.headerPrefix(header.length));
    sha.update(header);
    if (nativeFiles()) {
      return writeNative(stored, payload, size, sha);
    }
    Path tmp = tempFile();
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream raw = Channels.newOutputStream(ch);
        if (mode == RepoMode.ARCHIVE) {
          byte[] archiveHeader = OstreeCodec.encodeArchiveHeader(size, stored, "");
          raw.write(OstreeCodec.headerPrefix(archiveHeader.length));
          raw.write(archiveHeader);
          Deflater deflater = new Deflater(6, true);
          try (DeflaterOutputStream z = new DeflaterOutputStream(nonClosing(raw), deflater, BUFFER)) {
            copyExactly(payload, z, size, sha);
          } finally {
            deflater.end();
          }
        } else {
          copyExactly(payload, raw, size, sha);
        }
        if (perObjectFsync()) {
          ch.force(true);
        }
      }
      ObjectId id = ObjectId.of(sha.digest());
      applyFileMetadata(tmp, stored, false);
      return new WrittenObject(id, publish(tmp, objectPath(id, ObjectType.FILE)));
    } catch (IOException e) {
      throw failure("write a file object", tmp, e);
    }
  }

  /** The native path for bare and bare-user objects: ostree's own sequence of calls. */
  private WrittenObject writeNative(ObjectId id, Path target, FileMeta stored, byte[] data, int len)
      throws ObjectStoreException {
    try (NativeObjectFile f = open(len)) {
      f.append(data, 0, len);
      f.finish();
      return new WrittenObject(id, publishNative(f, stored, target));
    } catch (IOException e) {
      throw new ObjectStoreException("Tried to write object " + id + " in " + repo + " but failed: " + e.getMessage(), e);
    }
  }

  /** The native path for a file streamed in: hashed as it is written, named once the hash is known. */
  private WrittenObject writeNative(FileMeta stored, InputStream payload, long size, MessageDigest sha)
      throws ObjectStoreException {
    try (NativeObjectFile f = open(size)) {
      copyExactly(
          payload,
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              f.append(b, off, len);
            }
          },
          size,
          sha);
      f.finish();
      ObjectId id = ObjectId.of(sha.digest());
      return new WrittenObject(id, publishNative(f, stored, objectPath(id, ObjectType.FILE)));
    } catch (IOException e) {
      throw new ObjectStoreException("Tried to write a file object in " + repo + " but failed: " + e.getMessage(), e);
    }
  }

  /**
   * Opens an anonymous file for an object of {@code size} bytes. When the objects are to be made durable anyway and
   * the object is large, its bytes go to the disk directly: the page cache would take the whole of a layer's new
   * pages, only for {@code syncfs} to write them out before the commit (see {@link #DIRECT_MIN}).
   */
  private NativeObjectFile open(long size) throws IOException {
    Path tmp = repo.resolve("tmp");
    return fsync && size >= DIRECT_MIN ? NativeObjectFile.createDirect(tmp) : NativeObjectFile.create(tmp);
  }

  private InsertResult publishNative(NativeObjectFile f, FileMeta stored, Path target) throws IOException {
    if (mode == RepoMode.BARE_USER) {
      Xattr meta = new Xattr("user.ostreemeta", OstreeCodec.encodeDirMeta(stored));
      f.applyMetadata(false, 0, 0, (stored.permissions() & 0775) | 0400, Xattr.toMap(List.of(meta)));
    } else {
      boolean chown = stored.uid() != processUid || stored.gid() != processGid;
      f.applyMetadata(chown, stored.uid(), stored.gid(), stored.permissions(), Xattr.toMap(stored.xattrs()));
    }
    return link(f, target);
  }

  /** Names a complete anonymous object file (synced first when each object is); an existing object wins. */
  private InsertResult link(NativeObjectFile f, Path target) throws IOException {
    if (perObjectFsync()) {
      f.fsync();
    }
    return f.linkTo(target) ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT;
  }

  /** Writes a symlink's content object. */
  WrittenObject writeSymlink(FileMeta meta, String target) throws ObjectStoreException {
    FileMeta stored = canonical(meta);
    byte[] header = OstreeCodec.encodeFileHeader(stored, target);
    MessageDigest sha = io.github.syscontainers.model.Digest.newSha256();
    sha.update(OstreeCodec.headerPrefix(header.length));
    sha.update(header);
    ObjectId id = ObjectId.of(sha.digest());
    Path finalPath = objectPath(id, ObjectType.FILE);
    if (stored(finalPath)) {
      return new WrittenObject(id, InsertResult.ALREADY_PRESENT);
    }
    Path tmp = tempFile();
    try {
      switch (mode) {
        case BARE_USER:
          byte[] content = (target + "\0").getBytes(StandardCharsets.UTF_8);
          Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          applyFileMetadata(tmp, stored, true);
          break;
        case ARCHIVE:
          byte[] archiveHeader = OstreeCodec.encodeArchiveHeader(0, stored, target);
          try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
            out.write(OstreeCodec.headerPrefix(archiveHeader.length));
            out.write(archiveHeader);
          }
          setMode(tmp, 0644);
          break;
        default:
          Files.createSymbolicLink(tmp, Path.of(target));
          applyFileMetadata(tmp, stored, true);
          break;
      }
      return new WrittenObject(id, publish(tmp, finalPath));
    } catch (IOException e) {
      throw failure("write a symlink object for '" + target + "'", tmp, e);
    }
  }

  /** Returns the metadata as this mode stores it: bare-user-only keeps neither owners nor xattrs. */
  FileMeta canonical(FileMeta meta) {
    if (mode != RepoMode.BARE_USER_ONLY) {
      return meta;
    }
    int m = meta.isSymlink() ? FileMeta.S_IFLNK | 0777 : (meta.mode() & (FileMeta.S_IFMT | 0755));
    return new FileMeta(0, 0, m, List.of());
  }

  private void applyFileMetadata(Path tmp, FileMeta meta, boolean symlink) throws IOException {
    switch (mode) {
      case BARE_USER:
        UserDefinedFileAttributeView view = Files.getFileAttributeView(tmp, UserDefinedFileAttributeView.class);
        view.write("ostreemeta", ByteBuffer.wrap(OstreeCodec.encodeDirMeta(meta)));
        setMode(tmp, symlink ? 0644 : (meta.permissions() & 0775) | 0400);
        Files.setLastModifiedTime(tmp, EPOCH);
        break;
      case BARE_USER_ONLY:
        if (!symlink) {
          setMode(tmp, meta.permissions());
          Files.setLastModifiedTime(tmp, EPOCH);
        }
        break;
      case BARE:
        BareMetadata.apply(tmp, meta, symlink, meta.uid() != processUid || meta.gid() != processGid);
        break;
      case ARCHIVE:
        setMode(tmp, 0644);
        break;
      default:
        throw new IllegalStateException("Unknown mode " + mode);
    }
  }

  private InsertResult publish(Path tmp, Path target) throws IOException {
    try {
      try {
        Files.createLink(target, tmp);
      } catch (NoSuchFileException e) {
        Files.createDirectories(target.getParent());
        Files.createLink(target, tmp);
      }
      return InsertResult.INSERTED;
    } catch (FileAlreadyExistsException e) {
      return InsertResult.ALREADY_PRESENT;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  Path objectPath(ObjectId id, ObjectType type) {
    // one resolve of "ab/cdef….file": a checkout or an import asks for every object's path, and three resolves made
    // three paths, each with its own copy of the whole name (a warm install allocated 34 MB instead of 45 MB; its
    // time did not change measurably)
    String hex = id.hex();
    return objects.resolve(hex.substring(0, 2) + '/' + hex.substring(2) + '.' + type.extension(mode));
  }

  private Path tempFile() {
    return repo.resolve("tmp").resolve("tmpobject-" + UUID.randomUUID());
  }

  static void setMode(Path p, int perms) throws IOException {
    Files.setAttribute(p, "unix:mode", perms, LinkOption.NOFOLLOW_LINKS);
  }

  private static void copyExactly(InputStream in, OutputStream out, long size, MessageDigest sha) throws IOException {
    byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(size, 1))];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("the stream ended " + left + " bytes before the declared size " + size);
      }
      sha.update(buf, 0, n);
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  private ObjectStoreException failure(String what, Path tmp, IOException e) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // left for prune
    }
    if (e instanceof ObjectStoreException) {
      return (ObjectStoreException) e;
    }
    return new ObjectStoreException("Tried to " + what + " in " + repo + " but failed: " + e.getMessage(), e);
  }
}
