package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * ISA-L's inflate against the JDK's, property-style (issue 30): seeded random streams of one to three members with
 * random header fields (extra, name, comment, header CRC), random bytes after the last member (zeros, noise, the
 * gzip magic followed by junk or by a cut or corrupt header), random corruption and truncation, read in random
 * chunks. Both must give the same bytes, or both must fail. A failing case prints its seed, to be replayed alone with
 * {@code -Dsyscontainers.diff.seed=N}; {@code -Dsyscontainers.diff.cases=N} runs more (CI runs 2,000).
 */
class GzipDifferentialTest {
  static final int CASES = Integer.getInteger("syscontainers.diff.cases", 2000);

  @Test
  void isalAndTheJdkAgreeOnRandomStreams() throws Exception {
    Peers.requireNative(IsalGzipInputStream.loaded(), "libisal.so.2 is not installed (apt-get install libisal2)");
    Long only = Long.getLong("syscontainers.diff.seed");
    long base = new Random().nextLong();
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < (only != null ? 1 : CASES); i++) {
      long seed = only != null ? only : base + i;
      Case c = make(new Random(seed));
      String jdk = outcome(() -> new GZIPInputStream(c.chunked(new Random(seed ^ 1))), c);
      String isal = outcome(() -> new IsalGzipInputStream(c.chunked(new Random(seed ^ 1))), c);
      if (!same(jdk, isal)) {
        // The JDK reads a member after another only when its stream says more is available or more than 18 bytes
        // follow the trailer in its buffer (GZIPInputStream.readTrailer), so what it makes of a short or cut member
        // at the end depends on how the bytes arrived (seed -8630906078420835302: a whole second member without its
        // trailer is ignored when the stream came in one read, refused as truncated when it came a byte at a
        // time). ISA-L's reading does not depend on that; it must give what the JDK gives for one of the ways.
        String whole = outcome(() -> new GZIPInputStream(new ByteArrayInputStream(c.bytes)), c);
        String bytewise = outcome(() -> new GZIPInputStream(c.chunked(1)), c);
        if (!same(whole, isal) && !same(bytewise, isal)) {
          disagreements.add("seed " + seed + " (" + c.what + "): JDK " + jdk + " (read whole: " + whole
              + ", a byte at a time: " + bytewise + "), ISA-L " + isal);
        }
      }
    }
    assertThat(disagreements).as("cases where ISA-L and the JDK disagree; replay with -Dsyscontainers.diff.seed")
        .isEmpty();
  }

  /** The same bytes, or both refused (their messages differ). */
  private static boolean same(String a, String b) {
    return a.equals(b) || (a.startsWith("fail") && b.startsWith("fail"));
  }

  /** Opens a stream to compare. */
  interface Opener {
    InputStream open() throws IOException;
  }

  /** The bytes read (as a CRC and length), or "fail". */
  private static String outcome(Opener opener, Case c) {
    CRC32 crc = new CRC32();
    long n = 0;
    byte[] buf = new byte[c.readSize];
    try (InputStream in = opener.open()) {
      for (int r; (r = in.read(buf)) >= 0; ) {
        crc.update(buf, 0, r);
        n += r;
      }
      return n + " bytes, crc " + Long.toHexString(crc.getValue());
    } catch (IOException e) {
      return "fail: " + e.getClass().getSimpleName();
    }
  }

  /** One random stream and how to read it. */
  record Case(byte[] bytes, int step, int readSize, String what) {
    /** The bytes, {@code size} at most per read. */
    InputStream chunked(int size) {
      return new FilterInputStream(new ByteArrayInputStream(bytes)) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return super.read(b, off, Math.min(len, size));
        }
      };
    }

    InputStream chunked(Random r) {
      return new FilterInputStream(new ByteArrayInputStream(bytes)) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return super.read(b, off, Math.max(1, Math.min(len, 1 + r.nextInt(step))));
        }
      };
    }
  }

  private static Case make(Random r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder what = new StringBuilder();
    int members = 1 + r.nextInt(3);
    for (int m = 0; m < members; m++) {
      byte[] data = data(r);
      byte[] gz = member(r, data, what);
      out.writeBytes(gz);
    }
    byte[] tail = tail(r, what);
    out.writeBytes(tail);
    byte[] bytes = out.toByteArray();
    int spoil = r.nextInt(10);
    if (spoil == 0 && bytes.length > 20) {
      int at = 10 + r.nextInt(bytes.length - 10);
      bytes[at] ^= (byte) (1 + r.nextInt(255));
      what.append(", byte ").append(at).append(" flipped");
    } else if (spoil == 1 && bytes.length > 1) {
      int cut = r.nextInt(bytes.length);
      bytes = Arrays.copyOf(bytes, cut);
      what.append(", cut at ").append(cut);
    }
    int step = r.nextBoolean() ? 1 + r.nextInt(16) : 1 + r.nextInt(70_000);
    return new Case(bytes, step, 1 + r.nextInt(r.nextBoolean() ? 64 : 40_000), what.toString());
  }

  private static byte[] data(Random r) {
    byte[] b = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(30_000)];
    for (int i = 0; i < b.length; ) {
      int n = Math.min(b.length - i, 1 + r.nextInt(2000));
      if (r.nextBoolean()) {
        Arrays.fill(b, i, i + n, (byte) r.nextInt(4));
      } else {
        byte[] noise = new byte[n];
        r.nextBytes(noise);
        System.arraycopy(noise, 0, b, i, n);
      }
      i += n;
    }
    return b;
  }

  /** A gzip member of {@code data} whose header has random optional fields. */
  private static byte[] member(Random r, byte[] data, StringBuilder what) throws IOException {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(z)) {
      g.write(data);
    }
    byte[] plain = z.toByteArray();
    int flags = r.nextInt(32) & ~1;
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 0, 0, 0, 0, 0, 3});
    if ((flags & 4) != 0) {
      int xlen = r.nextInt(300);
      h.write(xlen & 0xFF);
      h.write(xlen >> 8);
      byte[] extra = new byte[xlen];
      r.nextBytes(extra);
      h.writeBytes(extra);
    }
    for (int f : new int[] {8, 16}) {
      if ((flags & f) != 0) {
        for (int i = r.nextInt(200); i > 0; i--) {
          h.write(1 + r.nextInt(255));
        }
        h.write(0);
      }
    }
    if ((flags & 2) != 0) {
      CRC32 crc = new CRC32();
      byte[] head = h.toByteArray();
      crc.update(head);
      int v = (int) crc.getValue();
      if (r.nextInt(20) == 0) {
        v ^= 1;
        what.append("bad header CRC, ");
      }
      h.write(v & 0xFF);
      h.write((v >> 8) & 0xFF);
    }
    what.append("member ").append(data.length).append(" B flags ").append(flags).append("; ");
    h.write(plain, 10, plain.length - 10);
    return h.toByteArray();
  }

  private static byte[] tail(Random r, StringBuilder what) {
    byte[] t;
    switch (r.nextInt(7)) {
      case 0:
        t = new byte[r.nextInt(2000)];
        what.append("tail of ").append(t.length).append(" zeros");
        break;
      case 1:
        t = new byte[1 + r.nextInt(2000)];
        r.nextBytes(t);
        what.append("tail of noise");
        break;
      case 2:
        t = new byte[2 + r.nextInt(100)];
        r.nextBytes(t);
        t[0] = 0x1f;
        t[1] = (byte) 0x8b;
        what.append("tail: magic and junk");
        break;
      case 3:
        t = new byte[] {0x1f, (byte) 0x8b, 8, 8, 0, 0, 0, 0, 0, 3, 'n', 'a'};
        what.append("tail: a cut header");
        break;
      case 4:
        t = new byte[] {0x1f, (byte) 0x8b};
        what.append("tail: the magic alone");
        break;
      default:
        t = new byte[0];
        what.append("no tail");
    }
    return t;
  }
}
