package io.github.syscontainers.objectstore.tar;

import io.github.syscontainers.platform.Platform;

/**
 * The CRC-64 tar-split keeps of one file's data (CRC-64/GO-ISO, as Go's {@code hash/crc64} with {@code crc64.ISO};
 * integrity, not security), accumulated over the pieces the data comes in, through {@link Platform#crc64()} (ISA-L's,
 * or the Java twin).
 *
 * <p>Not thread-safe.
 */
final class Crc64 {
  private static final io.github.syscontainers.platform.Crc64 FUNCTION = Platform.crc64();
  private long crc;

  void update(byte[] b, int off, int len) {
    crc = FUNCTION.update(crc, b, off, len);
  }

  /** The checksum so far, big-endian, as Go's {@code Sum(nil)} gives it. */
  byte[] digest() {
    long v = crc;
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }
}
