package io.github.syscontainers.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Reads the gzip compression of another stream (RFC 1952, one member, no name, mtime 0, OS 255 "unknown" as Go's
 * compress/gzip writes it), pulled as it is read: no thread, no pipe, no whole layer in memory. Compression is
 * zlib's, through the JDK's {@link Deflater}.
 *
 * <p>Not thread-safe.
 */
final class GzipCompressingInputStream extends InputStream {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final InputStream in;
  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final byte[] input = new byte[1 << 16];
  private byte[] pending = HEADER.clone();
  private int pendingPos;
  private long inputSize;
  private boolean inputDone;
  private boolean trailerDone;

  GzipCompressingInputStream(InputStream in, int level) {
    this.in = in;
    this.deflater = new Deflater(level, true);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (pending != null) {
        int n = Math.min(len, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        if (pendingPos == pending.length) {
          pending = null;
        }
        return n;
      }
      if (!deflater.finished()) {
        int n = deflater.deflate(b, off, len);
        if (n > 0) {
          return n;
        }
        if (deflater.needsInput() && !inputDone) {
          int r = in.read(input);
          if (r < 0) {
            inputDone = true;
            deflater.finish();
          } else if (r > 0) {
            crc.update(input, 0, r);
            inputSize += r;
            deflater.setInput(input, 0, r);
          }
        }
        continue;
      }
      if (!trailerDone) {
        trailerDone = true;
        long c = crc.getValue();
        long s = inputSize & 0xFFFFFFFFL;
        pending = new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
            (byte) s, (byte) (s >> 8), (byte) (s >> 16), (byte) (s >> 24)};
        pendingPos = 0;
        continue;
      }
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    deflater.end();
    in.close();
  }
}
