package io.github.syscontainers.platform;

import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * A gzip member header (RFC 1952) checked as {@link java.util.zip.GZIPInputStream} checks it: the magic, deflate as
 * the method, the optional extra field, name and comment skipped, and the header CRC-16 verified when FHCRC is set.
 */
final class GzipHeader {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private GzipHeader() {}

  /**
   * The length of the header at the start of {@code b[0..len)}: positive when it is all there; minus the length
   * needed to know more when it is not.
   *
   * @throws ZipException when it is not a valid gzip header
   */
  static int length(byte[] b, int len) throws ZipException {
    if (len < 10) {
      return -10;
    }
    if ((b[0] & 0xFF) != 0x1F || (b[1] & 0xFF) != 0x8B) {
      throw new ZipException("Invalid gzip data: not a gzip header");
    }
    if (b[2] != 8) {
      throw new ZipException("Invalid gzip data: the header names a compression method other than deflate");
    }
    int flags = b[3] & 0xFF;
    int p = 10;
    if ((flags & FEXTRA) != 0) {
      if (len < p + 2) {
        return -(p + 2);
      }
      p += 2 + ((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8);
      if (len < p) {
        return -p;
      }
    }
    for (int field : new int[] {FNAME, FCOMMENT}) {
      if ((flags & field) != 0) {
        int z = p;
        while (z < len && b[z] != 0) {
          z++;
        }
        if (z == len) {
          return -(len + 1);
        }
        p = z + 1;
      }
    }
    if ((flags & FHCRC) != 0) {
      if (len < p + 2) {
        return -(p + 2);
      }
      CRC32 crc = new CRC32();
      crc.update(b, 0, p);
      if ((int) (crc.getValue() & 0xFFFF) != ((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8)) {
        throw new ZipException("Invalid gzip data: the header's CRC does not match the header");
      }
      p += 2;
    }
    return p;
  }
}
