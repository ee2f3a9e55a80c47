package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImagePath;
import io.github.syscontainers.objectstore.tar.TarEntry;
import io.github.syscontainers.objectstore.tar.TarFormatException;
import io.github.syscontainers.objectstore.tar.TarReader;
import io.github.syscontainers.objectstore.tar.TarSplitSink;
import io.github.syscontainers.objectstore.tar.TarSplitWriter;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.io.input.ReadAheadInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports one layer in a single streaming pass: compressed bytes, decompressed by magic, hashed for the DiffID, read
 * as tar entries and stored as content objects, with no temporary extraction. Whiteout files ({@code .wh.NAME},
 * {@code .wh..wh..opq}) are kept as ordinary files, as skopeo's ostree transport kept them, so checkout applies
 * them.
 *
 * <p>Hostile entries are refused with a message naming the entry: {@code ..} components, hard links to anything but
 * an earlier entry of the same layer, invalid whiteouts, device nodes. Sizes, counts and ratios are capped by
 * {@link ImportLimits}.
 *
 * <p>The calling thread decompresses and parses; a small pool hashes and writes the files it has read, so the two
 * cores this runs on overlap inflate with hashing and system calls. Memory is bounded and reused: files wait for a
 * writer in pooled buffers (8 MiB in all), and files over 256 KiB stream through a pipe of them.
 *
 * <p>Not thread-safe; use one per import.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md">OCI layer format</a>
 */
public final class LayerImporter {
  private static final Logger LOG = LoggerFactory.getLogger(LayerImporter.class);
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  /**
   * Files up to 16 KiB wait for a writer in one of 128 small buffers (2 MiB), larger ones in 24 of 256 KiB (6 MiB):
   * enough to keep the writers busy (32 MiB was no faster and raised a pull's peak RSS by 40 MB).
   */
  private static final int READ_AHEAD = 1 << 20;
  private static final int BLOB_AHEAD = 256 << 10;
  private static final int SMALL = 16 << 10;
  private static final int LARGE = 256 << 10;
  /**
   * Writers: twice the processors, 4 to 8. A large object's direct write (see {@code ObjectWriter}) waits for the
   * disk, not for a core, so more writers than cores keep both busy: 6 alternating imports of the bench layer on two
   * cores, 4 writers vs 2, faster in 6 of 6 (medians 3.10 s vs 3.31 s).
   */
  private static final int WRITERS = Math.max(4, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));

  private final OstreeRepository repo;
  private final ImportBudget budget;
  private boolean linkPayloads;
  /** The blob's size as its descriptor gives it, or -1: chooses the inflater. */
  private long blobSize = -1;
  private java.util.function.Function<String, Optional<ObjectId>> known = name -> Optional.empty();
  private final BufferPool small = new BufferPool(SMALL, 128);
  private final BufferPool large = new BufferPool(LARGE, 24);
  private ExecutorService writers;

  public LayerImporter(OstreeRepository repo, ImportLimits limits) {
    this(repo, ImportBudget.of(limits));
  }

  /** An importer whose layers count toward {@code budget}, shared by the layers of one image. */
  public LayerImporter(OstreeRepository repo, ImportBudget budget) {
    this.repo = repo;
    this.budget = budget;
  }

  /**
   * This importer, taking the content object {@code objects} names for a regular file (by its name in the tar) where
   * that object holds the file's size and metadata: its data then passes by unread but for the DiffID's hash, with
   * no object hashed or written for it. For a layer rebuilt from files the store holds (a partial pull), whose
   * payloads are those objects' own, each checked by the DiffID of the whole.
   */
  public LayerImporter knowing(java.util.function.Function<String, Optional<ObjectId>> objects) {
    this.known = objects;
    return this;
  }

  /** This importer, for a blob of {@code bytes} (its descriptor's size), which chooses the inflater by it. */
  public LayerImporter sized(long bytes) {
    this.blobSize = bytes;
    return this;
  }

  /**
   * This importer, giving every regular file with data a payload link ({@link PayloadLinks}), as for a layer with a
   * table of contents: what the next partial pull of an update looks its files up by.
   */
  public LayerImporter linkingPayloads() {
    this.linkPayloads = true;
    return this;
  }

  /**
   * Reads the whole of {@code blob} (not closed) and stores its entries. When {@code expectedDiffId} is given, the
   * digest of the uncompressed stream must equal it.
   *
   * @param description names the layer in error messages, for example its digest
   */
  public ImportedLayer importLayer(InputStream blob, Optional<Digest> expectedDiffId, String description)
      throws ObjectStoreException {
    return importLayer(blob, expectedDiffId, description,
        repo.config().keepTarSplit() ? Optional.of(new TarSplitWriter()) : Optional.empty());
  }

  /**
   * Imports a layer as {@link #importLayer(InputStream, Optional, String)}, its tar-split record written to
   * {@code record} (left open) rather than kept in memory; {@link ImportedLayer#tarSplit} is then empty.
   */
  public ImportedLayer importLayer(InputStream blob, Optional<Digest> expectedDiffId, String description,
      java.io.OutputStream record) throws ObjectStoreException {
    return importLayer(blob, expectedDiffId, description, Optional.of(new TarSplitWriter(record)));
  }

  private ImportedLayer importLayer(InputStream blob, Optional<Digest> expectedDiffId, String description,
      Optional<TarSplitWriter> recording) throws ObjectStoreException {
    CountingInputStream compressed = new CountingInputStream(blob);
    MessageDigest sha = Digest.newSha256();
    MutableTree root = new MutableTree();
    long entries = 0;
    MeteredInputStream metered;
    MutableTree.Written written;
    TarSplitWriter split = recording.orElse(null);
    TarSplitSink sink = split != null ? split : TarSplitSink.NONE;
    String current = "";
    writers = Executors.newFixedThreadPool(WRITERS, LayerImporter::daemon);
    long started = System.nanoTime();
    // closing the decompressor frees its native memory (zlib, ISA-L) now rather than at a GC; blob stays open
    try (RepoLock lock = repo.lockShared();
        InputStream decompressed = readAhead(Decompression.open(readAhead(compressed, BLOB_AHEAD), blobSize), READ_AHEAD)) {
      metered = new MeteredInputStream(decompressed, sha, budget);
      TarReader tar = new TarReader(metered, sink);
      TarEntry entry;
      while ((entry = tar.next()) != null) {
        current = entry.name();
        if (++entries > budget.limits().maxEntries()) {
          throw new MeteredInputStream.LayerRejectedException(
              "the layer has more than " + budget.limits().maxEntries() + " entries, the import limit");
        }
        if (entry.size() > metered.remaining()) {
          // refused at its header, before a byte of it is written: a bomb declares its size up front
          throw new MeteredInputStream.LayerRejectedException(
              "its entry '" + entry.name() + "' declares " + entry.size() + " bytes, more than the "
                  + ByteSize.format(budget.limits().maxLayerBytes()) + " per layer and "
                  + ByteSize.format(budget.limits().maxImageBytes()) + " per image allow; if the image is trusted, "
                  + budget.remedy());
        }
        store(entry, tar, root);
      }
      metered.drain(sink);
      long parsed = System.nanoTime();
      written = root.write(repo);
      LOG.debug(
          "layer {}: {} entries parsed in {} ms, written {} ms later", description, entries,
          (parsed - started) / 1_000_000, (System.nanoTime() - parsed) / 1_000_000);
    } catch (IOException e) {
      if (DiskFull.in(e)) {
        throw DiskFull.whileImporting(repo.path(), description, e);
      }
      throw rethrown(e, description, current);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectStoreException("Interrupted while importing layer " + description, e);
    } catch (IllegalArgumentException e) {
      throw new ObjectStoreException(
          "Refused layer " + description + ": entry '" + current + "': " + e.getMessage(), e);
    } finally {
      stopWriters();
    }
    Digest diffId = Digest.sha256(sha.digest());
    if (expectedDiffId.isPresent() && !expectedDiffId.get().equals(diffId)) {
      throw new ObjectStoreException(
          "Layer " + description + " decompresses to " + diffId + " but the image config says its DiffID is "
              + expectedDiffId.get() + "; the image is corrupt or was altered, fetch it again");
    }
    try {
      byte[] record = split != null ? split.finish() : new byte[0];
      return new ImportedLayer(written, diffId, metered.count(), entries,
          record.length > 0 ? Optional.of(record) : Optional.empty());
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot finish the tar-split record of layer " + description, e);
    }
  }

  /** The exception an import failure is reported as: a refusal, the store's own, or a broken stream. */
  private static ObjectStoreException rethrown(IOException e, String description, String current) {
    if (e instanceof MeteredInputStream.LayerRejectedException || e instanceof TarFormatException) {
      return new ObjectStoreException("Refused layer " + description + ": " + e.getMessage(), e);
    }
    if (e instanceof ObjectStoreException) {
      return (ObjectStoreException) e;
    }
    return new BrokenLayerStreamException(
        "Tried to import layer " + description + " but its stream is broken near entry '" + current + "': "
            + e.getMessage() + "; the archive or blob is truncated or corrupt, fetch it again",
        e);
  }

  /**
   * Returns {@code in} read a buffer ahead on a thread of its own. Errors of the stream surface here, at the read that
   * reaches them; closing stops the thread and closes {@code in}. Two stages run so, besides this thread's parsing:
   * <ul>
   *   <li>decompression ({@link #READ_AHEAD}): inflating was half of this thread's work (0.74 of 1.5 s for the 155 MB
   *       bench layer), and it kept the writers waiting;
   *   <li>the blob under it ({@link #BLOB_AHEAD}): a registry's blob stream hashes the bytes for their digest, keeps
   *       them for a resumed pull and reports progress as it is read, work that was on the inflating thread's path.
   *       Cold pulls and installs of the system bench's image, 6 alternating pairs: faster in 6 of 6, medians 4.21 s vs
   *       4.52 s; a 1 MiB buffer no faster than 256 KiB. Importing the bench layer from a file: no different (medians
   *       2.82 s vs 2.84 s, 6 pairs).
   * </ul>
   */
  private static InputStream readAhead(InputStream in, int size) throws IOException {
    return ReadAheadInputStream.builder().setInputStream(in).setBufferSize(size).get();
  }

  private void store(TarEntry e, TarReader tar, MutableTree root) throws IOException, InterruptedException {
    ImagePath path = ImagePath.of(e.name());
    List<Xattr> xattrs = xattrs(e);
    int uid = (int) e.uid();
    int gid = (int) e.gid();
    if (e.type() == TarEntry.Type.DIRECTORY) {
      resolveDir(root, path).setMeta(new FileMeta(uid, gid, FileMeta.S_IFDIR | e.mode(), xattrs));
      return;
    }
    if (path.isRoot()) {
      throw new IllegalArgumentException("a non-directory entry for the layer root");
    }
    String name = path.fileName();
    validateWhiteout(name);
    CompletableFuture<ObjectId> id;
    switch (e.type()) {
      case SYMLINK:
        id = done(repo.writeSymlink(new FileMeta(uid, gid, FileMeta.S_IFLNK | 0777, xattrs), e.linkName()).id());
        break;
      case HARD_LINK:
        // the tree itself says what the link names: no per-file index, whose memory would grow with every entry
        id = existingFile(root, ImagePath.of(e.linkName())).orElse(null);
        if (id == null) {
          throw new IllegalArgumentException(
              "a hard link to '" + e.linkName() + "', which is not an earlier file of this layer");
        }
        break;
      case CHAR_DEVICE:
      case BLOCK_DEVICE:
        throw new IllegalArgumentException(
            "a " + (e.type() == TarEntry.Type.CHAR_DEVICE ? "character" : "block") + " device node ("
                + e.devMajor() + "," + e.devMinor() + "); device nodes are refused: OSTree cannot store them and a"
                + " system container gets its devices from the runtime");
      case FIFO:
        LOG.debug("Skipping FIFO {}: OSTree cannot store FIFOs", path);
        return;
      default:
        FileMeta meta = new FileMeta(uid, gid, FileMeta.S_IFREG | e.mode(), xattrs);
        Optional<ObjectId> same = e.size() > 0 ? known.apply(e.name()) : Optional.empty();
        // a known object's data is skipped by the reader, still hashed for the DiffID
        id = same.isPresent() && holds(same.get(), meta, e.size()) ? done(same.get())
            : writeFile(meta, tar, e.size());
        break;
    }
    resolveDir(root, path.parent()).putFile(name, id);
  }

  /** Whether the content object {@code id} is a regular file of {@code size} bytes with {@code meta}, as stored. */
  private boolean holds(ObjectId id, FileMeta meta, long size) throws ObjectStoreException {
    ContentObject c = repo.loadContent(id);
    return c.meta().isRegularFile() && c.size() == size && c.meta().equals(repo.canonical(meta));
  }

  /** Hands a small file to the writers (memory permitting); streams a large one here. */
  private CompletableFuture<ObjectId> writeFile(FileMeta meta, TarReader tar, long size)
      throws IOException, InterruptedException {
    if (size > LARGE) {
      return pipeLargeFile(meta, tar.data(), size);
    }
    BufferPool pool = size > SMALL ? large : small;
    byte[] data = pool.take();
    int len;
    try {
      len = tar.data().readNBytes(data, 0, (int) size);
    } catch (IOException | RuntimeException ex) {
      pool.give(data);
      throw ex;
    }
    if (len != size) {
      pool.give(data);
      throw new java.io.EOFException("the stream ended " + (size - len) + " bytes into a file's data");
    }
    CompletableFuture<ObjectId> f = new CompletableFuture<>();
    writers.execute(
        () -> {
          try {
            f.complete(repo.writeFile(meta, data, len, linkPayloads).id());
          } catch (ObjectStoreException | RuntimeException ex) {
            f.completeExceptionally(ex);
          } finally {
            pool.give(data);
          }
        });
    return f;
  }

  /** Streams a large file to a writer through a bounded pipe, so its hashing and writing overlap with inflate. */
  private CompletableFuture<ObjectId> pipeLargeFile(FileMeta meta, InputStream data, long size)
      throws IOException, InterruptedException {
    ChunkPipe pipe = new ChunkPipe(large);
    CompletableFuture<ObjectId> f = new CompletableFuture<>();
    writers.execute(
        () -> {
          try {
            f.complete(repo.writeFile(meta, pipe, size, linkPayloads).id());
          } catch (ObjectStoreException | RuntimeException ex) {
            f.completeExceptionally(ex);
          } finally {
            pipe.abort();
          }
        });
    long left = size;
    try {
      while (left > 0) {
        int n = pipe.fill(data, left);
        if (n < 0) {
          throw new java.io.EOFException("the stream ended " + left + " bytes before the end of a file's data");
        }
        left -= n;
      }
    } catch (IOException e) {
      throw writerFailure(f).map(w -> {
        w.addSuppressed(e);
        return w;
      }).orElse(e);
    }
    pipe.finish();
    return f;
  }

  /**
   * Why the writer of a piped file stopped, when it did: the pipe's producer only learns that it stopped, and its
   * failure (a full disk, say) is the cause to report, not the pipe's.
   */
  private static Optional<IOException> writerFailure(CompletableFuture<ObjectId> f) {
    if (!f.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      f.join();
      return Optional.empty();
    } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
      Throwable c = e.getCause();
      return c instanceof IOException ? Optional.of((IOException) c) : Optional.empty();
    }
  }

  /** Stops the pool and waits for it, so no writer touches the repository after the import returned or failed. */
  private void stopWriters() {
    writers.shutdownNow();
    try {
      if (!writers.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
        LOG.warn("Layer writers did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static CompletableFuture<ObjectId> done(ObjectId id) {
    return CompletableFuture.completedFuture(id);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "layer-writer");
    t.setDaemon(true);
    return t;
  }

  /** Returns the directory at {@code path}, creating missing parents with default metadata. */
  private static MutableTree resolveDir(MutableTree root, ImagePath path) {
    MutableTree dir = root;
    for (String c : path.components()) {
      dir = dir.directory(c);
    }
    return dir;
  }

  /** Returns the file already in the tree at {@code path}, without creating directories on the way. */
  private static Optional<CompletableFuture<ObjectId>> existingFile(MutableTree root, ImagePath path) {
    if (path.isRoot()) {
      return Optional.empty();
    }
    Optional<MutableTree> dir = Optional.of(root);
    for (String c : path.parent().components()) {
      dir = dir.flatMap(d -> d.existingDirectory(c));
    }
    return dir.flatMap(d -> d.existingFile(path.fileName()));
  }

  private static void validateWhiteout(String name) {
    if (!name.startsWith(WHITEOUT) || name.equals(OPAQUE)) {
      return;
    }
    String target = name.substring(WHITEOUT.length());
    if (target.isEmpty() || target.equals(".") || target.equals("..") || target.startsWith(WHITEOUT)) {
      throw new IllegalArgumentException("an invalid whiteout '" + name + "'");
    }
  }

  private static List<Xattr> xattrs(TarEntry e) {
    List<Xattr> out = new ArrayList<>(e.xattrs().size());
    for (TarEntry.RawXattr x : e.xattrs()) {
      out.add(new Xattr(x.name(), x.value()));
    }
    return out;
  }
}
