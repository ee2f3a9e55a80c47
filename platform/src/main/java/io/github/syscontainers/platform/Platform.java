package io.github.syscontainers.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point to the project's foreign code, as OkHttp's {@code Platform} is to its: each native capability
 * is loaded once, on first use, checked by a known-answer self-test before it is used (a failing one means its
 * pure-Java twin is used, with one warning), and its choice logged once at debug level.
 * {@code -Dsyscontainers.native=false} turns every native piece off; the switches of single pieces
 * ({@code -Dsyscontainers.isal=false}, ...) keep working.
 *
 * <p>Thread-safe.
 */
public final class Platform {
  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
  private static final int BUFFER = 64 * 1024;

  private Platform() {}

  /** False when {@code -Dsyscontainers.native=false}: every capability is then its pure-Java twin. */
  public static boolean nativeAllowed() {
    return !"false".equalsIgnoreCase(System.getProperty("syscontainers.native"));
  }

  /** The gzip inflater: ISA-L, or the JDK's zlib. */
  public static GzipInflater gzip() {
    return Gzip.CHOSEN;
  }

  /**
   * The gzip inflater for a stream of about {@code compressedSize} bytes (negative: unknown): the JDK's zlib below
   * {@link #NATIVE_GZIP_FROM}, where it is done before ISA-L has loaded and tested itself (10-15 ms at a command's
   * start), else {@link #gzip()}.
   */
  public static GzipInflater gzip(long compressedSize) {
    return compressedSize >= 0 && compressedSize < NATIVE_GZIP_FROM ? ZLIB : Gzip.CHOSEN;
  }

  /** The compressed size from which {@link #gzip(long)} chooses ISA-L. */
  public static final long NATIVE_GZIP_FROM = 1L << 20;

  /** CRC-64/GO-ISO, tar-split's checksum: ISA-L's, or the pure-Java twin. */
  public static Crc64 crc64() {
    return Crc.CHOSEN;
  }

  private static final class Crc {
    static final Crc64 CHOSEN = chooseCrc(IsalCrc64.LOADED);
  }

  static Crc64 chooseCrc(boolean isal) {
    if (!isal) {
      LOG.debug("CRC-64: Java's");
      return JavaCrc64.INSTANCE;
    }
    String failure = crcSelfTest(IsalCrc64.INSTANCE);
    if (failure != null) {
      LOG.warn("ISA-L's CRC-64 failed its self-test ({}); the Java one is used", failure);
      return JavaCrc64.INSTANCE;
    }
    LOG.debug("CRC-64: ISA-L (libisal.so.2), self-test passed");
    return IsalCrc64.INSTANCE;
  }

  /**
   * Null when {@code crc} gives the catalogue's check value for "123456789", and the Java twin's checksum for data
   * of every length up to 300 bytes and for 200 KiB in uneven pieces; else what differed.
   */
  static String crcSelfTest(Crc64 crc) {
    try {
      byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
      if (crc.update(0, check, 0, check.length) != 0xb90956c775a41001L) {
        return "it gave another check value than CRC-64/GO-ISO's";
      }
      byte[] data = new byte[200 * 1024];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i * 131 + (i >>> 7));
      }
      for (int n = 0; n <= 300; n++) {
        if (crc.update(0, data, 7, n) != JavaCrc64.INSTANCE.update(0, data, 7, n)) {
          return "it differs from the Java one for " + n + " bytes";
        }
      }
      long pieces = 0;
      for (int at = 0, step = 1; at < data.length; at += step, step = step * 3 % 70_001 + 1) {
        pieces = crc.update(pieces, data, at, Math.min(step, data.length - at));
      }
      return pieces == JavaCrc64.INSTANCE.update(0, data, 0, data.length) ? null
          : "it differs from the Java one for data in pieces";
    } catch (RuntimeException | LinkageError e) {
      return e.toString();
    }
  }

  private static final class Gzip {
    static final GzipInflater CHOSEN = choose(nativeAllowed() && IsalGzipInputStream.loaded());
  }

  /** The JDK's inflater: the twin, and the oracle of the self-test. */
  static final GzipInflater ZLIB = new GzipInflater() {
    @Override
    public InputStream open(InputStream compressed) throws IOException {
      return new GZIPInputStream(compressed, BUFFER);
    }

    @Override
    public String name() {
      return "zlib";
    }
  };

  static final GzipInflater ISAL = new GzipInflater() {
    @Override
    public InputStream open(InputStream compressed) {
      return new IsalGzipInputStream(compressed);
    }

    @Override
    public String name() {
      return "isal";
    }
  };

  static GzipInflater choose(boolean isal) {
    if (!isal) {
      LOG.debug("gzip: the JDK's zlib");
      return ZLIB;
    }
    String failure = selfTest(ISAL);
    if (failure != null) {
      LOG.warn("ISA-L's inflate failed its self-test ({}); gzip layers are inflated by the JDK's zlib", failure);
      return ZLIB;
    }
    LOG.debug("gzip: ISA-L (libisal.so.2), self-test passed");
    return ISAL;
  }

  /**
   * Null when {@code inflater} gives the JDK's bytes for a known stream: two members, the first with a name and a
   * header CRC, fed a few bytes at a time; else what went wrong.
   */
  static String selfTest(GzipInflater inflater) {
    try {
      byte[] text = "syscontainers platform self-test: ISA-L against zlib\n".repeat(40).getBytes(
          StandardCharsets.US_ASCII);
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      try (GZIPOutputStream g = new GZIPOutputStream(z)) {
        g.write(text);
      }
      byte[] plain = z.toByteArray();
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      byte[] head = {0x1f, (byte) 0x8b, 8, 8 | 2, 0, 0, 0, 0, 0, 3, 't', 'e', 's', 't', 0};
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(head);
      gz.writeBytes(head);
      gz.write((int) crc.getValue() & 0xFF);
      gz.write((int) (crc.getValue() >> 8) & 0xFF);
      gz.write(plain, 10, plain.length - 10);
      gz.writeBytes(plain);
      byte[] stream = gz.toByteArray();
      byte[] expected = ZLIB.open(new ByteArrayInputStream(stream)).readAllBytes();
      InputStream trickle = new FilterInputStream(new ByteArrayInputStream(stream)) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return super.read(b, off, Math.min(len, 7));
        }
      };
      try (InputStream in = inflater.open(trickle)) {
        byte[] got = in.readAllBytes();
        return Arrays.equals(got, expected) ? null : "it gave other bytes than zlib";
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      return e.toString();
    }
  }
}
