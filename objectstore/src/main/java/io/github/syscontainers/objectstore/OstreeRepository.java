package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SortedMap;

/**
 * An OSTree repository on disk, byte-compatible with {@code ostree} 2022.7: the real tool can fsck, list and check
 * out what this writes, and this reads what the tool (or skopeo's former {@code ostree:} transport) wrote.
 *
 * <p>Thread-safe: objects are published atomically and refs change under the repository lock.
 *
 * @see <a href="https://ostreedev.github.io/ostree/repo/">OSTree repository layout</a>
 */
public final class OstreeRepository {
  private static final String[] SKELETON = {
    "objects", "refs/heads", "refs/remotes", "refs/mirrors", "state", "tmp", "extensions"
  };

  private final Path path;
  private final RepoMode mode;
  private final RepoConfig config;
  private final ObjectWriter writer;
  private final ContentReader reader;
  private final RefStore refs;
  private final PayloadLinks links;
  /** Files of at least this size get a payload link; as ostree, bare modes only. */
  private final java.util.OptionalLong linkThreshold;

  private OstreeRepository(Path path, RepoConfig config) throws ObjectStoreException {
    this.path = path;
    this.config = config;
    this.mode = config.mode(path);
    this.writer = new ObjectWriter(path, mode, config.fsync());
    this.reader = new ContentReader(mode, writer);
    this.refs = new RefStore(path, config.fsync());
    this.links = new PayloadLinks(this);
    this.linkThreshold = mode == RepoMode.ARCHIVE ? java.util.OptionalLong.empty() : config.payloadLinkThreshold();
  }

  /** Opens an existing repository. */
  public static OstreeRepository open(Path path) throws ObjectStoreException {
    Path configFile = path.resolve("config");
    if (!Files.isRegularFile(configFile)) {
      throw new ObjectStoreException(
          "No OSTree repository at " + path + " (" + configFile + " is missing); "
              + "check ATOMIC_OSTREE_REPO or pull an image to create one");
    }
    try {
      RepoConfig config = RepoConfig.read(configFile);
      if (!config.get("core", "repo_version").orElse("1").equals("1")) {
        throw new ObjectStoreException(
            "Repository " + path + " has repo_version " + config.get("core", "repo_version").orElse("")
                + "; only version 1 is supported");
      }
      for (String dir : new String[] {"tmp", "objects", "refs/heads"}) {
        Files.createDirectories(path.resolve(dir));
      }
      return new OstreeRepository(path, config);
    } catch (IOException e) {
      throw e instanceof ObjectStoreException
          ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to open the repository " + path + " but failed: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the repository at {@code path}, creating it in {@code modeIfNew} when it has no {@code config} yet. The
   * config of an existing repository is never rewritten.
   */
  public static OstreeRepository openOrCreate(Path path, RepoMode modeIfNew) throws ObjectStoreException {
    if (Files.isRegularFile(path.resolve("config"))) {
      return open(path);
    }
    try {
      Files.createDirectories(path);
      for (String dir : SKELETON) {
        Files.createDirectories(path.resolve(dir));
      }
      Path tmp = path.resolve("tmp").resolve("config-" + ProcessHandle.current().pid());
      Files.writeString(tmp, RepoConfig.initialText(modeIfNew), StandardCharsets.UTF_8);
      try {
        // link, not move: when two processes create the repository at once, the first config wins
        Files.createLink(path.resolve("config"), tmp);
      } catch (FileAlreadyExistsException e) {
        // another process created it first
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Tried to create an OSTree repository at " + path + " but failed: " + e, e);
    }
    return open(path);
  }

  /** Returns the repository directory. */
  public Path path() {
    return path;
  }

  /** Returns the storage mode. */
  public RepoMode mode() {
    return mode;
  }

  /** Returns the parsed {@code config}. */
  public RepoConfig config() {
    return config;
  }

  /** Takes the repository lock shared, as a writer. */
  public RepoLock lockShared() throws ObjectStoreException {
    return RepoLock.shared(path);
  }

  /** Takes the repository lock exclusive, to prune or delete objects. */
  public RepoLock lockExclusive() throws ObjectStoreException {
    return RepoLock.exclusive(path);
  }

  // ---- refs ----

  /** Returns the commit a local ref points to. */
  public Optional<ObjectId> resolveRef(String ref) throws ObjectStoreException {
    return refs.resolve(ref);
  }

  /** Points {@code ref} at {@code commit}, atomically, under the repository lock. */
  public void setRef(String ref, ObjectId commit) throws ObjectStoreException {
    if (!hasObject(commit, ObjectType.COMMIT)) {
      throw new ObjectStoreException("Refusing to point " + ref + " at the missing commit " + commit);
    }
    refs.set(ref, commit);
  }

  /** Deletes a ref; returns false when it did not exist. */
  public boolean deleteRef(String ref) throws ObjectStoreException {
    return refs.delete(ref);
  }

  /** Returns every local ref whose name starts with {@code prefix}, sorted by name. */
  public SortedMap<String, ObjectId> listRefs(String prefix) throws ObjectStoreException {
    return refs.list(prefix);
  }

  // ---- objects ----

  /** Returns the path of an object, whether or not it exists. */
  public Path objectPath(ObjectId id, ObjectType type) {
    return writer.objectPath(id, type);
  }

  /** Returns true when the object is stored. */
  public boolean hasObject(ObjectId id, ObjectType type) {
    return Files.exists(objectPath(id, type), LinkOption.NOFOLLOW_LINKS);
  }

  /** Writes a metadata object (commit, dirtree, dirmeta). */
  public WrittenObject writeMetadata(ObjectType type, byte[] data) throws ObjectStoreException {
    if (type == ObjectType.FILE) {
      throw new IllegalArgumentException("Content objects are written with writeFile or writeSymlink");
    }
    return writer.writeMetadata(type, data);
  }

  /** Writes a regular file's content object, reading exactly {@code size} bytes from {@code payload}. */
  public WrittenObject writeFile(FileMeta meta, InputStream payload, long size) throws ObjectStoreException {
    return writeFile(meta, payload, size, false);
  }

  /**
   * Writes a regular file's content object as {@link #writeFile(FileMeta, InputStream, long)}; {@code link} gives it
   * a payload link whatever the threshold (files of a layer with a table of contents, which a later partial pull
   * looks up; never in an archive repository, as ostree).
   */
  public WrittenObject writeFile(FileMeta meta, InputStream payload, long size, boolean link)
      throws ObjectStoreException {
    if (!meta.isRegularFile()) {
      throw new IllegalArgumentException("writeFile needs a regular file mode, got " + Integer.toOctalString(meta.mode()));
    }
    if (!linked(size, link)) {
      return writer.writeFile(meta, payload, size);
    }
    java.security.MessageDigest sha = io.github.syscontainers.model.Digest.newSha256();
    WrittenObject w = writer.writeFile(meta, new java.security.DigestInputStream(payload, sha), size);
    links.link(io.github.syscontainers.model.Digest.sha256(sha.digest()), w.id());
    return w;
  }

  /** Whether a regular file of {@code size} bytes gets a payload link ({@code core.payload-link-threshold}). */
  private boolean linked(long size, boolean asked) {
    return mode != RepoMode.ARCHIVE && ((asked && size > 0)
        || (linkThreshold.isPresent() && size >= linkThreshold.getAsLong()));
  }

  /** The payload links of this repository: its index of file contents. */
  public PayloadLinks payloadLinks() {
    return links;
  }

  /** Writes a regular file's content object from the first {@code len} bytes of {@code data}. */
  public WrittenObject writeFile(FileMeta meta, byte[] data, int len) throws ObjectStoreException {
    return writeFile(meta, data, len, false);
  }

  /** Writes a regular file's content object from bytes, with a payload link when {@code link} asks for one. */
  public WrittenObject writeFile(FileMeta meta, byte[] data, int len, boolean link) throws ObjectStoreException {
    if (!meta.isRegularFile()) {
      throw new IllegalArgumentException("writeFile needs a regular file mode, got " + Integer.toOctalString(meta.mode()));
    }
    WrittenObject w = writer.writeFile(meta, data, len);
    if (linked(len, link)) {
      java.security.MessageDigest sha = io.github.syscontainers.model.Digest.newSha256();
      sha.update(data, 0, len);
      links.link(io.github.syscontainers.model.Digest.sha256(sha.digest()), w.id());
    }
    return w;
  }

  /** Makes the objects written so far durable; called before a commit names them. */
  public void syncObjects() throws ObjectStoreException {
    writer.sync();
  }

  /** Writes a symlink's content object. */
  public WrittenObject writeSymlink(FileMeta meta, String target) throws ObjectStoreException {
    if (!meta.isSymlink()) {
      throw new IllegalArgumentException("writeSymlink needs a symlink mode, got " + Integer.toOctalString(meta.mode()));
    }
    return writer.writeSymlink(meta, target);
  }

  /** Returns the metadata this repository's mode stores for {@code meta}. */
  public FileMeta canonical(FileMeta meta) {
    return writer.canonical(meta);
  }

  /** Reads a metadata object and checks that its bytes hash to its name. */
  public byte[] readMetadata(ObjectId id, ObjectType type) throws ObjectStoreException {
    Path p = objectPath(id, type);
    try {
      byte[] data = MetadataReader.read(p);
      if (!Arrays.equals(MetadataReader.sha256(data), id.toBytes())) {
        throw new ObjectStoreException(
            "Corrupted " + type.extension() + " object " + id + " in " + path
                + ": its content does not hash to its name; run `syscontainers fsck` and pull the image again");
      }
      return data;
    } catch (NoSuchFileException e) {
      throw new ObjectStoreException(
          "Object missing: " + id + "." + type.extension() + " in " + path + "; pull the image again");
    } catch (IOException e) {
      throw e instanceof ObjectStoreException
          ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to read " + p + " but failed: " + e.getMessage(), e);
    }
  }

  /** Reads a commit. */
  public Commit readCommit(ObjectId id) throws ObjectStoreException {
    return decode(id, ObjectType.COMMIT, () -> OstreeCodec.decodeCommit(readMetadata(id, ObjectType.COMMIT)));
  }

  /** Reads a dirtree. */
  public DirTree readDirTree(ObjectId id) throws ObjectStoreException {
    return decode(id, ObjectType.DIR_TREE, () -> OstreeCodec.decodeDirTree(readMetadata(id, ObjectType.DIR_TREE)));
  }

  /** Reads a dirmeta. */
  public FileMeta readDirMeta(ObjectId id) throws ObjectStoreException {
    return decode(id, ObjectType.DIR_META, () -> OstreeCodec.decodeDirMeta(readMetadata(id, ObjectType.DIR_META)));
  }

  /**
   * The checksum a file of a checkout has now, computed as for the content object it was made from: in {@code bare}
   * and {@code bare-user} repositories a hard-linked file shares its object's inode (owner, mode, xattrs,
   * {@code user.ostreemeta}), so this is that object's checksum unless the file changed since. It depends only on
   * the file, not on what the repository still holds.
   *
   * @param expected the object the file should match, named in messages
   */
  public ObjectId checksumCheckedOut(ObjectId expected, Path file) throws ObjectStoreException {
    try {
      ContentObject o = reader.loadCheckedOut(expected, file);
      if (o.isSymlink()) {
        return ContentHasher.checksum(o.meta(), o.symlinkTarget(), InputStream.nullInputStream(), 0);
      }
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        return ContentHasher.checksum(o.meta(), "", in, -1);
      }
    } catch (IOException e) {
      throw e instanceof ObjectStoreException ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to read " + file + " (object " + expected + ") but failed: " + e, e);
    }
  }

  /** Loads a content object's metadata without reading its payload. */
  public ContentObject loadContent(ObjectId id) throws ObjectStoreException {
    return reader.load(id);
  }

  /**
   * Reads only a content object's type, permission bits and size: what deciding on a hard link needs, in one
   * {@code lstat} in {@code bare} and {@code bare-user-only} repositories.
   */
  public ContentStat statContent(ObjectId id) throws ObjectStoreException {
    return reader.stat(id);
  }

  /** Opens the payload of the regular file object {@code stat} describes; the caller closes the stream. */
  public InputStream openPayload(ContentStat stat) throws ObjectStoreException {
    return reader.openPayload(stat);
  }

  /** Opens the payload of a regular file object; the caller closes the stream. */
  public InputStream openPayload(ContentObject object) throws ObjectStoreException {
    return reader.openPayload(object);
  }

  /** Removes stray temporary files that a crashed writer left under {@code tmp/}. */
  public void cleanTemporaryFiles() throws ObjectStoreException {
    try (RepoLock lock = lockExclusive()) {
      deleteTemporaryFiles();
    }
  }

  /** Deletes stray temporary files; the caller holds the exclusive lock. */
  void deleteTemporaryFiles() throws ObjectStoreException {
    try (var files = Files.list(path.resolve("tmp"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith("tmpobject-") || name.startsWith("ref-") || name.startsWith("config-")) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Tried to clean " + path.resolve("tmp") + " but failed: " + e, e);
    }
  }

  private interface Decoder<T> {
    T decode() throws ObjectStoreException;
  }

  private <T> T decode(ObjectId id, ObjectType type, Decoder<T> d) throws ObjectStoreException {
    try {
      return d.decode();
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new ObjectStoreException(
          "The " + type.extension() + " object " + id + " in " + path + " is malformed: " + e.getMessage(), e);
    }
  }
}
