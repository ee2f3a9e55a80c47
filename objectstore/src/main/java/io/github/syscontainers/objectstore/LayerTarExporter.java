package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImagePath;
import io.github.syscontainers.objectstore.tar.TarSplitAssembler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * Rebuilds a stored layer's uncompressed tar byte for byte (issue 31): from the tar-split record its layer commit
 * keeps in {@code tarsplit.output} (ours, or the one skopeo's ostree transport kept for atomic) and the files of the
 * commit's tree, each checked against the size and CRC-64 the layer had. Its SHA-256 is then the layer's DiffID.
 *
 * <p>Thread-safe: a shared repository lock is held while it reads.
 */
public final class LayerTarExporter {
  private final OstreeRepository repo;

  public LayerTarExporter(OstreeRepository repo) {
    this.repo = repo;
  }

  /**
   * Whether the stored layer has a tar-split record: layers imported with {@code keep-tar-split=true}
   * ({@link RepoConfig#keepTarSplit}), or by atomic through skopeo.
   */
  public boolean hasRecord(Digest layer) throws ObjectStoreException {
    Optional<ObjectId> c = repo.resolveRef(ImageStore.blobRef(layer));
    return c.isPresent() && hasRecord(repo.readCommit(c.get()));
  }

  /** Whether a layer commit keeps a tar-split record, in its metadata or in a file of its own. */
  static boolean hasRecord(Commit commit) {
    return commit.stringMetadata(ImageStore.TAR_SPLIT).isPresent()
        || commit.stringMetadata(ImageStore.TAR_SPLIT_OBJECT).isPresent();
  }

  /**
   * Writes the layer's uncompressed tar to {@code out}.
   *
   * @throws ObjectStoreException when the layer is not stored, has no record, or a file differs from the layer's
   */
  public void write(Digest layer, OutputStream out) throws ObjectStoreException {
    try (RepoLock lock = repo.lockShared()) {
      ObjectId commitId = repo.resolveRef(ImageStore.blobRef(layer)).orElseThrow(() -> new ObjectStoreException(
          "The layer " + layer + " is not in " + repo.path() + "; pull its image first"));
      Commit commit = repo.readCommit(commitId);
      ObjectId root = commit.rootTree();
      Map<ImagePath, Optional<DirTree>> dirs = new HashMap<>(); // each directory's tree read once, not per file
      try (InputStream record = record(commit, layer).orElseThrow(() -> new ObjectStoreException(
          "The layer " + layer + " in " + repo.path() + " was stored without a tar-split record, so its tar cannot be"
              + " rebuilt byte for byte: set keep-tar-split=true in the [syscontainers] group of the repository's"
              + " config and pull the image again"))) {
        TarSplitAssembler.assemble(CloseShieldInputStream.wrap(record), name -> open(root, name, dirs), out);
        record.transferTo(OutputStream.nullOutputStream()); // to its end, where a record file is checked
      }
    } catch (ObjectStoreException e) {
      throw e;
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot rebuild the tar of layer " + layer + " from " + repo.path() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Writes a tar of the stored layer's files ({@link TreeTarWriter}), for a layer without a tar-split record: the
   * same files, modes, owners and xattrs, the same bytes every time, but not the layer's own tar, so its SHA-256 is
   * not the DiffID it was pulled with.
   */
  public void writeFromTree(Digest layer, OutputStream out) throws ObjectStoreException {
    try (RepoLock lock = repo.lockShared()) {
      ObjectId commitId = repo.resolveRef(ImageStore.blobRef(layer)).orElseThrow(() -> new ObjectStoreException(
          "The layer " + layer + " is not in " + repo.path() + "; pull its image first"));
      TreeTarWriter.write(repo, repo.readCommit(commitId), out);
    } catch (ObjectStoreException e) {
      throw e;
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot write a tar of layer " + layer + " from " + repo.path() + ": "
          + e.getMessage(), e);
    }
  }

  private InputStream open(ObjectId root, byte[] name, Map<ImagePath, Optional<DirTree>> dirs) throws IOException {
    String text = new String(name, StandardCharsets.UTF_8);
    ImagePath path = ImagePath.of(text);
    Optional<DirTree> dir = path.isRoot() ? Optional.empty() : dirs.get(path.parent());
    if (dir == null) {
      Optional<ObjectId> tree = Trees.lookupDir(repo, root, path.parent());
      dir = tree.isEmpty() ? Optional.empty() : Optional.of(repo.readDirTree(tree.get()));
      dirs.put(path.parent(), dir);
    }
    ObjectId id = dir.flatMap(d -> d.file(path.fileName())).map(DirTree.FileEntry::checksum).orElseThrow(
        () -> new ObjectStoreException("the file '" + text + "' the layer held is not in its stored tree"));
    return repo.openPayload(repo.loadContent(id));
  }

  /**
   * The layer commit's record: from its metadata, or from the file of its own a large one is kept in
   * ({@link TarSplitSpool}), checked at its end against the SHA-256 the commit names.
   */
  private Optional<InputStream> record(Commit commit, Digest layer) throws ObjectStoreException {
    Optional<String> text = commit.stringMetadata(ImageStore.TAR_SPLIT);
    if (text.isPresent()) {
      try {
        return Optional.of(new ByteArrayInputStream(Base64.getDecoder().decode(text.get())));
      } catch (IllegalArgumentException e) {
        throw new ObjectStoreException("The tar-split record of a layer commit is not base64: " + e.getMessage(), e);
      }
    }
    Optional<String> object = commit.stringMetadata(ImageStore.TAR_SPLIT_OBJECT);
    if (object.isEmpty()) {
      return Optional.empty();
    }
    Path file = ImageStore.tarSplitRecords(repo.path()).resolve(layer.hex());
    Digest expected;
    try {
      expected = Digest.parse(object.get());
    } catch (IllegalArgumentException e) {
      throw new ObjectStoreException("The layer commit of " + layer + " names its tar-split record by '"
          + object.get() + "', not a digest: " + e.getMessage(), e);
    }
    try {
      return Optional.of(new CheckedRecord(Files.newInputStream(file), expected, file));
    } catch (NoSuchFileException e) {
      throw new ObjectStoreException("The tar-split record of layer " + layer + " is kept in " + file
          + ", which is missing; run fsck --repair and pull the image again", e);
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot read the tar-split record of layer " + layer + " in " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** A record file read through, whose SHA-256 is checked when its end is reached. */
  private static final class CheckedRecord extends DigestInputStream {
    private final Digest expected;
    private final Path file;

    CheckedRecord(InputStream in, Digest expected, Path file) {
      super(in, expected.newMessageDigest());
      this.expected = expected;
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        check();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        check();
      }
      return n;
    }

    private void check() throws IOException {
      if (!expected.matches(getMessageDigest().digest())) {
        throw new IOException("the tar-split record " + file + " is not the one its layer commit names ("
            + expected + "); run fsck --repair and pull the image again");
      }
      getMessageDigest().reset();
      on(false); // checked once: further reads at the end change nothing
    }
  }
}
