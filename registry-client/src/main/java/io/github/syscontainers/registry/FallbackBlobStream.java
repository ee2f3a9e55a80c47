package io.github.syscontainers.registry;

import io.github.syscontainers.model.TransferEvent;
import io.github.syscontainers.model.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One blob read from several sources in turn: when a source cannot open the blob, or its body fails for good (after
 * its own resumes), the next source carries on from the byte reached, so the caller sees one continuous stream. The
 * bytes are not verified here; the caller wraps the whole in a {@link VerifyingInputStream}.
 *
 * <p>Not thread-safe.
 */
final class FallbackBlobStream extends ChunkReadingStream {
  private static final Logger LOG = LoggerFactory.getLogger(FallbackBlobStream.class);

  /** A source of the blob's raw bytes from an offset on. */
  interface Source {
    InputStream open(long offset) throws IOException;

    String label();
  }

  private final List<Source> sources;
  private final Descriptor blob;
  private final TransferListener listener;
  private final List<String> failures = new ArrayList<>();
  private int index = -1;
  private InputStream current;
  private long offset;

  private FallbackBlobStream(List<Source> sources, Descriptor blob, TransferListener listener) {
    this.sources = List.copyOf(sources);
    this.blob = blob;
    this.listener = listener;
  }

  /** Opens the blob from {@code offset} on at the first source that can serve it. */
  static FallbackBlobStream openAt(List<Source> sources, Descriptor blob, TransferListener listener, long offset)
      throws IOException {
    FallbackBlobStream s = new FallbackBlobStream(sources, blob, listener);
    s.offset = offset;
    s.next(null);
    return s;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      try {
        int n = current.read(b, off, len);
        if (n > 0) {
          offset += n;
        }
        return n;
      } catch (IOException e) {
        next(e);
      }
    }
  }

  /** Moves to the next source that opens at the current offset; fails with every source's reason at the end. */
  private void next(IOException cause) throws IOException {
    if (cause != null) {
      failures.add(sources.get(index).label() + ": " + cause.getMessage());
      closeCurrent();
      LOG.warn("Blob {} from {} failed at byte {}: {}", blob.digest(), sources.get(index).label(), offset,
          cause.getMessage());
    }
    while (++index < sources.size()) {
      Source s = sources.get(index);
      try {
        current = s.open(offset);
        if (index > 0) {
          LOG.info("Blob {}: continuing at byte {} from {}", blob.digest(), offset, s.label());
          listener.on(new TransferEvent.Resumed(blob, offset, "continuing from " + s.label()));
        }
        return;
      } catch (IOException e) {
        failures.add(s.label() + ": " + e.getMessage());
      }
    }
    throw new RegistryException(
        "No source could serve blob " + blob.digest() + " (tried " + String.join("; ", failures) + ")", cause);
  }

  private void closeCurrent() {
    try {
      if (current != null) {
        current.close();
      }
    } catch (IOException e) {
      LOG.debug("closing a failed blob stream: {}", e.toString());
    }
  }

  @Override
  public void close() {
    closeCurrent();
  }
}
