package io.github.syscontainers.objectstore;

import io.github.syscontainers.platform.Platform;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Detects a layer's compression by its magic bytes, not only by its media type (images mislabel it), and wraps the
 * stream in the matching decompressor: gzip (ISA-L when {@code libisal.so.2} is there, else the JDK's zlib), zstd, or
 * none.
 */
public enum Decompression {
  GZIP,
  ZSTD,
  NONE;

  private static final int BUFFER = 64 * 1024;

  /** Peeks at the first bytes of {@code in}, which must support mark/reset. */
  public static Decompression detect(InputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B) {
      return GZIP;
    }
    if (magic.length == 4
        && (magic[0] & 0xFF) == 0x28
        && (magic[1] & 0xFF) == 0xB5
        && (magic[2] & 0xFF) == 0x2F
        && (magic[3] & 0xFF) == 0xFD) {
      return ZSTD;
    }
    return NONE;
  }

  /**
   * Which inflater gzip layers get here: {@code "isal"} (libisal.so.2 loaded, not turned off, self-test passed) or
   * {@code "zlib"}.
   */
  public static String gzipInflater() {
    return Platform.gzip().name();
  }

  /** Returns the decompressed stream of {@code compressed}; closing it closes {@code compressed}. */
  public static InputStream open(InputStream compressed) throws IOException {
    return open(compressed, -1);
  }

  /**
   * Returns the decompressed stream of {@code compressed}, about {@code compressedSize} bytes long (negative:
   * unknown; a small gzip stream is inflated by the JDK, see {@link Platform#gzip(long)}); closing it closes
   * {@code compressed}.
   */
  public static InputStream open(InputStream compressed, long compressedSize) throws IOException {
    InputStream in = compressed.markSupported() ? compressed : new BufferedInputStream(compressed, BUFFER);
    switch (detect(in)) {
      case GZIP:
        return Platform.gzip(compressedSize).open(in);
      case ZSTD:
        try {
          return new ZstdCompressorInputStream(in);
        } catch (NoClassDefFoundError | UnsatisfiedLinkError e) {
          throw new IOException("This layer is zstd-compressed, but zstd support (zstd-jni) is not available here", e);
        }
      default:
        return in;
    }
  }
}
