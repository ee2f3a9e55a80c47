package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Range resume across runs: the bytes of a blob being fetched from a registry are kept in
 * {@code DIR/ALGORITHM-HEX.partial} as they arrive, so a pull that is killed or gives up continues, next time,
 * where it stopped. The kept bytes are read back first, so the verifier hashes them again with the rest, which is
 * asked for with {@code Range}; a blob that then fails its digest or size loses its kept bytes and the next attempt
 * starts over, and one that verifies loses them as its last byte is read. The bytes are written on a thread of
 * their own ({@link KeptFileAppender}), off the reading thread's path. A blob that another process is fetching
 * (its file is locked), and blobs from sources that cannot start mid-way (archives, layouts), are read as they
 * are, with nothing kept.
 *
 * <pre>{@code
 * PartialBlobs partials = new PartialBlobs(repo.resolve("tmp/partial-blobs"));
 * try (PartialBlobs.Opened o = partials.open(source, layer)) {
 *   store.importLayer(layer, o.stream(), diffId, limits); // reads to the end: verified
 * }
 * partials.finished(layer);
 * }</pre>
 *
 * <p>Thread-safe for different blobs.
 */
public final class PartialBlobs {
  private static final Logger LOG = LoggerFactory.getLogger(PartialBlobs.class);

  private final Path dir;

  public PartialBlobs(Path dir) {
    this.dir = dir;
  }

  /** Where the kept bytes of {@code blob} live. */
  public Path path(Descriptor blob) {
    return dir.resolve(blob.digest().algorithm() + "-" + blob.digest().hex() + ".partial");
  }

  /**
   * An open blob: {@code stream} is verified against the descriptor at its end, {@code resumedFrom} is how many of
   * its bytes came from an earlier run (0 when none). Closing it keeps what arrived.
   */
  public record Opened(InputStream stream, long resumedFrom) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  /** Opens {@code blob} at {@code source}, continuing from the bytes an earlier run kept. */
  public Opened open(ImageSource source, Descriptor blob) throws IOException {
    if (!source.resumesBlobs()) {
      return new Opened(source.openBlob(blob), 0);
    }
    Files.createDirectories(dir);
    Path partial = path(blob);
    FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      LOG.debug("{} is being fetched by another process; fetching it whole, keeping nothing", blob.digest());
      return new Opened(source.openBlob(blob), 0);
    }
    InputStream head = null;
    try {
      long kept = channel.size();
      if (kept > blob.size()) {
        channel.truncate(0);
        kept = 0;
      }
      channel.position(kept);
      head = new Head(Files.newInputStream(partial), kept);
      InputStream tail;
      if (kept == blob.size()) {
        tail = InputStream.nullInputStream();
      } else {
        tail = source.openBlobFrom(blob, kept);
      }
      if (kept > 0) {
        LOG.info("Blob {}: continuing from byte {} kept by an earlier run", blob.digest(), kept);
      }
      Keeper keeper = new Keeper(tail, new KeptFileAppender(channel, partial), channel);
      InputStream verified = new VerifyingInputStream(new SequenceInputStream(head, keeper), blob, source.imageName());
      return new Opened(new Verdict(verified, keeper, partial), kept);
    } catch (IOException | RuntimeException e) {
      if (head != null) {
        head.close();
      }
      channel.close();
      throw e;
    }
  }

  /** Forgets the kept bytes of a blob that was imported (gone already when its stream was read to the end). */
  public void finished(Descriptor blob) throws IOException {
    Files.deleteIfExists(path(blob));
  }

  /** The first {@code limit} bytes of the kept file. */
  private static final class Head extends ChunkReadingStream {
    private final InputStream in;
    private long left;

    Head(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("the kept bytes ended " + left + " bytes early");
      }
      left -= n;
      return n;
    }
  }

  /** The source's bytes, appended to the kept file as they are read; records whether the source itself failed. */
  private static final class Keeper extends ChunkReadingStream {
    private final InputStream in;
    private final KeptFileAppender keep;
    private final FileChannel channel;
    private boolean sourceFailed;

    Keeper(InputStream in, KeptFileAppender keep, FileChannel channel) {
      this.in = in;
      this.keep = keep;
      this.channel = channel;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        sourceFailed = true;
        throw e;
      }
      if (n > 0) {
        keep.append(b, off, n);
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } finally {
        try {
          keep.close(); // writes what arrived; then the channel, and its lock, go
        } finally {
          channel.close();
        }
      }
    }
  }

  /**
   * The verified stream: when the verifier rejects the blob (not the source failing), the kept bytes go; when the
   * blob arrives whole and verified, they go too, at once: they were kept to resume an interrupted fetch, and the
   * import's {@code syncfs} would otherwise write them to disk only for {@link #finished} to delete them (155 MB for
   * the bench's layer). An import that fails after this fetches the blob again.
   */
  private static final class Verdict extends ChunkReadingStream {
    private final InputStream in;
    private final Keeper keeper;
    private final Path partial;
    private boolean rejected;
    private boolean verified;
    private boolean closed;

    Verdict(InputStream verified, Keeper keeper, Path partial) {
      this.in = verified;
      this.keeper = keeper;
      this.partial = partial;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (RegistryException e) {
        rejected = !keeper.sourceFailed;
        throw e;
      }
      if (n < 0 && !verified) {
        verified = true;
        keeper.close(); // the file closed first: the dirty pages of a deleted file that is still open could be written
        Files.deleteIfExists(partial);
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return; // the importer and the puller both close it: one verdict, one warning
      }
      closed = true;
      in.close();
      if (rejected) {
        LOG.warn("Dropping the kept bytes of {}: the blob did not verify", partial.getFileName());
        Files.deleteIfExists(partial);
      }
    }
  }
}
