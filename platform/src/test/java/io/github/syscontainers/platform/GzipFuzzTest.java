package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The gzip path on any bytes (issue 30), with Jazzer: ISA-L and the JDK's zlib give the same bytes, or both refuse
 * with an {@link IOException}; nothing else escapes, nothing hangs, and a bomb is read only up to a cap. The seeds
 * in {@code GzipFuzzTestInputs} run with the unit tests; {@code .ci/fuzz} fuzzes for a budget. The first byte of an
 * input is the size of each read (1 to 256 bytes), the rest the stream.
 */
class GzipFuzzTest {
  static final int CAP = 4 << 20;

  @FuzzTest(maxDuration = "30s")
  void isalAndZlibAgreeOnAnyBytes(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int read = 1 + (data[0] & 0xFF);
    String zlib = inflate(Platform.ZLIB, data, read);
    if (Platform.nativeAllowed() && IsalGzipInputStream.loaded()) {
      String isal = inflate(Platform.ISAL, data, read);
      if (!isal.equals(zlib)) {
        // what the JDK makes of a short or cut member at the end depends on how the bytes arrive (see
        // GzipDifferentialTest): ISA-L must give what it gives for one of the ways
        assertThat(isal).as("ISA-L against zlib").isIn(inflate(Platform.ZLIB, data, Integer.MAX_VALUE),
            inflate(Platform.ZLIB, data, 1));
      }
    }
  }

  /** The SHA-256 of what came out (up to {@link #CAP}) and whether the stream was refused. */
  static String inflate(GzipInflater inflater, byte[] data, int read) {
    InputStream in = new FilterInputStream(new ByteArrayInputStream(data, 1, data.length - 1)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, read));
      }
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream gz = inflater.open(in)) {
      byte[] buf = new byte[8192];
      int n;
      while (out.size() < CAP && (n = gz.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return digest(out.toByteArray()) + " read";
    } catch (IOException refused) {
      return "refused"; // both refuse, whatever each says (their messages differ)
    }
  }

  static String digest(byte[] b) {
    return java.util.HexFormat.of().formatHex(CryptoProvider.jdkSha256().digest(b)) + " " + b.length;
  }
}
