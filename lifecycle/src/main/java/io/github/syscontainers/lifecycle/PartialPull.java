package io.github.syscontainers.lifecycle;

import com.github.luben.zstd.ZstdInputStream;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ImportBudget;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.PayloadLinks;
import io.github.syscontainers.objectstore.chunked.ChunkedLayer;
import io.github.syscontainers.objectstore.chunked.Toc;
import io.github.syscontainers.objectstore.tar.TarSplitAssembler;
import io.github.syscontainers.registry.ByteRange;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.StreamPipe;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.io.file.PathUtils;

/**
 * Pulls a zstd:chunked layer in part (issue 32), as containers/storage's partial pulls do, but deduplicated against
 * the whole store: its table of contents and tar-split record are fetched with Range requests and checked (the table
 * against the checksum its descriptor's annotation gives, the record against the digest the table gives); each file
 * with data is looked up by the SHA-256 of its content in the store's payload links; only the files none finds are
 * fetched, with as few multi-range requests as the registry allows, each checked against its digest as it arrives.
 * Then the layer's tar is rebuilt from the record, the stored files and the fetched ones, and imported as a full pull
 * imports its blob: its DiffID is checked, so no layer is installed that was not verified. Anything that does not
 * hold (a registry that will not serve ranges, a table that fails its checksum or is of an unknown version, a file
 * that is not what the table says, a rebuilt tar of another DiffID) ends the attempt with the reason, and the caller
 * fetches the blob whole.
 *
 * <p>Thread-safe: each call works in a spool directory of its own.
 */
final class PartialPull {
  /** The largest table of contents or tar-split record read, uncompressed: 256 MiB. */
  private static final long MAX_METADATA = 256L << 20;
  /** Threads that look files up and read them ahead: reads a disk serves at once. */
  private static final int IO_THREADS = 8;

  private final ImageStore store;
  private final OstreeRepository repo;

  PartialPull(ImageStore store) {
    this.store = store;
    this.repo = store.repository();
  }

  /** What an attempt did. */
  sealed interface Outcome {
    /** Imported; {@code fetched} bytes came from the registry. */
    record Imported(long fetched, int filesFetched, int filesReused) implements Outcome {}

    /** Not pulled in part; the blob is to be fetched whole, for {@code reason}. */
    record Whole(String reason) implements Outcome {}
  }

  /** Whether {@code layer} is one a partial pull is tried for: a table of contents, and a source that serves ranges. */
  static Optional<ChunkedLayer> applies(ImageSource source, Descriptor layer) {
    return source.servesRanges() ? ChunkedLayer.of(layer) : Optional.empty();
  }

  /** Pulls {@code layer}, described by {@code chunked}, from {@code source} in part, or says why it cannot. */
  Outcome pull(ImageSource source, Descriptor layer, ChunkedLayer chunked, Optional<Digest> diffId,
      ImportBudget budget) throws IOException {
    if (chunked instanceof ChunkedLayer.Whole) {
      return new Outcome.Whole(((ChunkedLayer.Whole) chunked).reason());
    }
    if (diffId.isEmpty()) {
      return new Outcome.Whole("the image's config gives no DiffID to check a rebuilt layer against");
    }
    ChunkedLayer.Partial p = (ChunkedLayer.Partial) chunked;
    if (p.toc().uncompressed() > MAX_METADATA || p.tarSplit().uncompressed() > MAX_METADATA
        || p.toc().length() > MAX_METADATA || p.tarSplit().length() > MAX_METADATA) {
      return new Outcome.Whole("its table of contents or tar-split record is over " + (MAX_METADATA >> 20) + " MiB");
    }
    long[] fetched = {0};
    Map<ByteRange, byte[]> metadata = new HashMap<>();
    ByteRange tocRange = new ByteRange(p.toc().offset(), p.toc().offset() + p.toc().length());
    ByteRange splitRange = new ByteRange(p.tarSplit().offset(), p.tarSplit().offset() + p.tarSplit().length());
    if (tocRange.end() > layer.size() || splitRange.end() > layer.size()) {
      return new Outcome.Whole("its annotations place the table of contents or tar-split record past the blob's end");
    }
    List<ByteRange> both = new ArrayList<>(List.of(tocRange, splitRange));
    both.sort(Comparator.comparingLong(ByteRange::start));
    if (both.get(0).end() > both.get(1).start()) {
      return new Outcome.Whole("its annotations place the table of contents and tar-split record over each other");
    }
    try {
      // a registry that sends the whole blob for these two ranges ignores Range: then fetch it once, whole
      fetched[0] += source.fetchRanges(layer, both, (r, in) -> metadata.put(r, in.readAllBytes()), false);
    } catch (IOException e) {
      return new Outcome.Whole("the registry did not serve its table of contents by range: " + e.getMessage());
    }
    byte[] tocCompressed = metadata.get(tocRange);
    if (!p.tocChecksum().matches(p.tocChecksum().newMessageDigest().digest(tocCompressed))) {
      return new Outcome.Whole("its table of contents does not match the checksum " + p.tocChecksum()
          + " its annotation gives");
    }
    Toc toc;
    try {
      toc = Toc.parse(decompress(tocCompressed, p.toc().uncompressed()));
    } catch (IOException e) {
      return new Outcome.Whole("its table of contents does not read: " + e.getMessage());
    }
    if (toc.version() != 1) {
      return new Outcome.Whole("its table of contents is of version " + toc.version() + ", not 1, the one known here");
    }
    byte[] split = metadata.get(splitRange);
    if (toc.tarSplitDigest().isEmpty()
        || !toc.tarSplitDigest().get().matches(Digest.newSha256().digest(split))) {
      return new Outcome.Whole("its tar-split record does not match the digest its table of contents gives");
    }
    return fetchAndImport(source, layer, toc, split, p, diffId.get(), budget, fetched);
  }

  private Outcome fetchAndImport(ImageSource source, Descriptor layer, Toc toc, byte[] split,
      ChunkedLayer.Partial p, Digest diffId, ImportBudget budget, long[] fetched) throws IOException {
    PayloadLinks links = repo.payloadLinks();
    Map<String, Toc.Entry> byName = new HashMap<>();
    Map<Digest, ObjectId> stored = new HashMap<>();
    Map<Digest, Toc.Entry> missing = new LinkedHashMap<>();
    int reused = 0;
    Map<Digest, Toc.Entry> first = new LinkedHashMap<>();
    for (Toc.Entry e : toc.entries()) {
      byName.put(e.name(), e);
      if (!e.hasData()) {
        continue;
      }
      if (e.endOffset() > layer.size()) {
        return new Outcome.Whole("its table of contents places '" + e.name() + "' past the blob's end");
      }
      first.putIfAbsent(e.digest().get(), e);
    }
    Map<Digest, Optional<ObjectId>> found = lookUp(links, first.keySet());
    for (Map.Entry<Digest, Toc.Entry> e : first.entrySet()) {
      Optional<ObjectId> id = found.get(e.getKey());
      if (id.isPresent()) {
        stored.put(e.getKey(), id.get());
        reused++;
      } else {
        missing.put(e.getKey(), e.getValue());
      }
    }
    long declared = 0;
    for (Toc.Entry e : missing.values()) {
      declared += e.size();
    }
    if (declared > budget.limits().maxLayerBytes()) {
      return new Outcome.Whole("its table of contents declares " + declared + " bytes of files to fetch, more than"
          + " the import limit of a layer");
    }
    if (reused == 0 && !missing.isEmpty()) {
      // nothing to save: one request for the blob, verified by its digest, and kept as it came where the store keeps
      // blobs
      return new Outcome.Whole("no file of it is stored yet");
    }
    Path spool = Files.createTempDirectory(Files.createDirectories(repo.path().resolve("tmp")), "partial-");
    try {
      Map<ByteRange, Toc.Entry> wanted = new HashMap<>();
      for (Toc.Entry e : missing.values()) {
        wanted.put(new ByteRange(e.offset(), e.endOffset()), e);
      }
      List<ByteRange> ranges = new ArrayList<>(wanted.keySet());
      ranges.sort(Comparator.comparingLong(ByteRange::start));
      for (int i = 1; i < ranges.size(); i++) {
        if (ranges.get(i).start() < ranges.get(i - 1).end()) {
          return new Outcome.Whole("its table of contents gives two files frames that overlap");
        }
      }
      if (!ranges.isEmpty()) {
        try {
          fetched[0] += source.fetchRanges(layer, ranges, (r, in) -> spool(wanted.get(r), in, spool));
        } catch (FileMismatch e) {
          return new Outcome.Whole(e.getMessage());
        } catch (IOException e) {
          return new Outcome.Whole("fetching its files by range failed: " + e.getMessage());
        }
      }
      TarSplitAssembler.Files files = name -> open(new String(name, StandardCharsets.UTF_8), byName, stored, spool);
      try (Prefetch ahead = new Prefetch(repo, new ArrayList<>(stored.values()));
          InputStream tar = StreamPipe.start("rebuild " + layer.digest().hex().substring(0, 12), out -> {
        try (InputStream json = new ZstdInputStream(new ByteArrayInputStream(split))) {
          TarSplitAssembler.assembleJson(json, files, out);
        }
      })) {
        store.importRebuiltLayer(layer, tar, diffId, budget, name -> Optional.ofNullable(byName.get(name))
            .flatMap(Toc.Entry::digest).map(stored::get));
      } catch (IOException e) {
        return new Outcome.Whole("its tar, rebuilt from its tar-split record and files, did not import: "
            + e.getMessage());
      }
      return new Outcome.Imported(fetched[0], missing.size(), reused);
    } finally {
      PathUtils.deleteDirectory(spool);
    }
  }

  /**
   * The stored objects with each content, looked up on several threads: with a cold page cache each lookup waits for
   * the disk (a link and its object's inode), and the disk serves several at once.
   */
  private static Map<Digest, Optional<ObjectId>> lookUp(PayloadLinks links, java.util.Set<Digest> digests)
      throws IOException {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(IO_THREADS);
    try {
      Map<Digest, java.util.concurrent.Future<Optional<ObjectId>>> futures = new LinkedHashMap<>();
      for (Digest d : digests) {
        futures.put(d, pool.submit(() -> links.lookup(d)));
      }
      Map<Digest, Optional<ObjectId>> out = new HashMap<>();
      for (Map.Entry<Digest, java.util.concurrent.Future<Optional<ObjectId>>> f : futures.entrySet()) {
        out.put(f.getKey(), f.getValue().get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while looking files up in the store");
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Reads the stored objects a rebuild will read, in its order, on a few threads ahead of it, so that with a cold
   * page cache the rebuild finds them read (the disk serves several reads at once; one reader waits for each in turn).
   * Closing stops it.
   */
  private static final class Prefetch implements AutoCloseable {
    private final java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(IO_THREADS, r -> {
          Thread t = new Thread(r, "prefetch");
          t.setDaemon(true);
          return t;
        });

    /**
     * Each reader's buffer, off the heap: a heap buffer per file made the readers copy every byte twice and allocate
     * 64 KiB each time, contending for the heap and filling the young generation (several GCs per update).
     */
    private static final ThreadLocal<java.nio.ByteBuffer> BUFFER =
        ThreadLocal.withInitial(() -> java.nio.ByteBuffer.allocateDirect(1 << 16));

    Prefetch(OstreeRepository repo, List<ObjectId> objects) {
      for (ObjectId id : objects) {
        pool.execute(() -> {
          try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
              repo.objectPath(id, io.github.syscontainers.objectstore.ObjectType.FILE))) {
            java.nio.ByteBuffer buf = BUFFER.get();
            buf.clear();
            while (ch.read(buf) > 0) {
              buf.clear();
            }
          } catch (IOException e) {
            // only a hint: the rebuild reads the object itself, and says what is wrong with it
          }
        });
      }
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  /** Decompresses a file's frames into the spool, checked against its digest. */
  private static void spool(Toc.Entry e, InputStream frames, Path spool) throws IOException {
    Digest d = e.digest().orElseThrow();
    MessageDigest sha = Digest.newSha256();
    long size = 0;
    try (InputStream in = new ZstdInputStream(frames);
        OutputStream out = Files.newOutputStream(spool.resolve(d.hex()))) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        size += n;
        if (size > e.size()) {
          // frames that inflate past the size the table gives: refused before more reaches the disk
          throw new FileMismatch("the file '" + e.name() + "' fetched by range inflates past the " + e.size()
              + " bytes its table of contents gives");
        }
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    }
    if (size != e.size() || !d.matches(sha.digest())) {
      throw new FileMismatch("the file '" + e.name() + "' fetched by range is not the " + e.size() + " bytes of "
          + d + " its table of contents gives");
    }
  }

  /** The data of the file the tar-split record names: fetched into the spool, or stored. */
  private InputStream open(String name, Map<String, Toc.Entry> byName, Map<Digest, ObjectId> stored, Path spool)
      throws IOException {
    Toc.Entry e = byName.get(name);
    if (e == null || e.digest().isEmpty()) {
      throw new IOException("its tar-split record names the file '" + name + "', for which its table of contents"
          + " has no data");
    }
    ObjectId id = stored.get(e.digest().get());
    return id != null ? repo.openPayload(repo.statContent(id)) // one stat: its metadata the importer checks
        : Files.newInputStream(spool.resolve(e.digest().get().hex()));
  }

  private static byte[] decompress(byte[] zstd, long size) throws IOException {
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(zstd))) {
      byte[] out = in.readNBytes((int) Math.min(size + 1, MAX_METADATA + 1));
      if (out.length != size) {
        throw new IOException("it decompresses to " + out.length + " bytes, not the " + size + " its annotation gives");
      }
      return out;
    }
  }

  /** A fetched file that is not what the table of contents says. */
  private static final class FileMismatch extends IOException {
    private static final long serialVersionUID = 1L;

    FileMismatch(String message) {
      super(message);
    }
  }
}
