package io.github.syscontainers.objectstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Counts and hashes the uncompressed bytes of a layer as they flow, and stops the flow when a limit of
 * {@link ImportLimits} is crossed: the layer's own, or its image's through the shared {@link ImportBudget}.
 *
 * <p>Not thread-safe.
 */
final class MeteredInputStream extends FilterInputStream {
  private final MessageDigest digest;
  /** The most bytes a layer may hold after the end of its tar archive: tar writers pad to 10 KiB records. */
  static final long MAX_TRAILING = 1L << 20;

  private final ImportBudget budget;
  private long count;

  MeteredInputStream(InputStream in, MessageDigest digest, ImportBudget budget) {
    super(in);
    this.digest = digest;
    this.budget = budget;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
      check(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void check(int n) throws IOException {
    long max = budget.limits().maxLayerBytes();
    if (count > max) {
      throw new LayerRejectedException(
          "the layer expands to more than " + ByteSize.format(max) + ", the limit per layer; if the image is"
              + " trusted, " + budget.remedy());
    }
    budget.charge(n);
  }

  /** The bytes the layer may still expand to: what is left of its own limit and of the image's. */
  long remaining() {
    return Math.min(budget.limits().maxLayerBytes() - count, budget.remaining());
  }

  /** Returns the number of uncompressed bytes read so far. */
  long count() {
    return count;
  }

  /**
   * Reads and hashes whatever follows the tar end marker, so the digest covers the whole stream, and tells
   * {@code sink} (the layer's tar-split record keeps those bytes too); more than
   * {@link #MAX_TRAILING} bytes there is no padding (a stream of zeros reads as an empty archive and then this).
   */
  void drain(io.github.syscontainers.objectstore.tar.TarSplitSink sink) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long end = count;
    for (int n; (n = read(buf, 0, buf.length)) >= 0; ) {
      sink.raw(buf, 0, n);
      if (count - end > MAX_TRAILING) {
        throw new LayerRejectedException(
            "more than " + ByteSize.format(MAX_TRAILING) + " follow the end of its tar archive at byte " + end
                + "; a layer holds nothing but padding there");
      }
    }
  }

  /** Thrown when a layer crosses an import limit. */
  static final class LayerRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    LayerRejectedException(String message) {
      super(message);
    }
  }
}
