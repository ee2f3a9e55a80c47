package io.github.syscontainers.objectstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongSupplier;

/**
 * Counts and hashes the uncompressed bytes of a layer as they flow, and stops the flow when a limit of
 * {@link ImportLimits} is crossed.
 *
 * <p>Not thread-safe.
 */
final class MeteredInputStream extends FilterInputStream {
  private final MessageDigest digest;
  private final ImportLimits limits;
  private final LongSupplier compressedBytes;
  private long count;

  MeteredInputStream(InputStream in, MessageDigest digest, ImportLimits limits, LongSupplier compressedBytes) {
    super(in);
    this.digest = digest;
    this.limits = limits;
    this.compressedBytes = compressedBytes;
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
      check();
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

  private void check() throws IOException {
    if (count > limits.maxUncompressedBytes()) {
      throw new LayerRejectedException(
          "the layer expands to more than " + limits.maxUncompressedBytes() + " bytes, the import limit");
    }
    long compressed = compressedBytes.getAsLong();
    if (count > limits.ratioFloorBytes() && compressed > 0 && count / compressed > limits.maxRatio()) {
      throw new LayerRejectedException(
          "the layer expanded " + compressed + " compressed bytes to more than " + count
              + " (ratio over " + limits.maxRatio() + "); it looks like a decompression bomb");
    }
  }

  /** Returns the number of uncompressed bytes read so far. */
  long count() {
    return count;
  }

  /** Reads and hashes whatever follows the tar end marker, so the digest covers the whole stream. */
  void drain() throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (read(buf, 0, buf.length) >= 0) {
      // hashing happens in read
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
