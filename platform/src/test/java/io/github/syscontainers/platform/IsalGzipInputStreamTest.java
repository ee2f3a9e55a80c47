package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.Peers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ISA-L's inflate gives the JDK's bytes, member by member, and refuses what the JDK refuses. */
class IsalGzipInputStreamTest {
  @BeforeEach
  void isal() {
    Peers.requireNative(
        IsalGzipInputStream.loaded(),
        "libisal.so.2 is not installed (apt-get install libisal2; run-tests does)");
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  /** Mixed content: runs that compress well and random bytes that do not, over several output buffers. */
  static byte[] sample(int size, long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[size];
    for (int i = 0; i < size; i += 4096) {
      int n = Math.min(4096, size - i);
      if (r.nextBoolean()) {
        Arrays.fill(b, i, i + n, (byte) ('a' + r.nextInt(26)));
      } else {
        byte[] chunk = new byte[n];
        r.nextBytes(chunk);
        System.arraycopy(chunk, 0, b, i, n);
      }
    }
    return b;
  }

  /** Hands out at most {@code step} bytes per read, so headers and trailers straddle reads. */
  static InputStream trickle(byte[] data, int step) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  static byte[] readAll(InputStream in, int readSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[readSize];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void givesTheSameBytesAsTheJdkWhateverTheReadSizes() throws IOException {
    byte[] data = sample(3 << 20, 1);
    byte[] gz = gzip(data);
    for (int step : new int[] {1 << 20, 4093, 7}) {
      for (int readSize : new int[] {1 << 20, 1000, 1}) {
        if (step == 7 && readSize == 1) {
          continue; // a byte at a time from both sides: covered by the smaller member below
        }
        try (InputStream in = new IsalGzipInputStream(trickle(gz, step))) {
          assertThat(readAll(in, readSize)).as("step %d, reads of %d", step, readSize).isEqualTo(data);
        }
      }
    }
    byte[] small = sample(10_000, 2);
    try (InputStream in = new IsalGzipInputStream(trickle(gzip(small), 1))) {
      assertThat(readAll(in, 1)).isEqualTo(small);
    }
  }

  @Test
  void readsConcatenatedMembersAndAnEmptyOne() throws IOException {
    byte[] a = sample(300_000, 3);
    byte[] b = sample(5_000, 4);
    byte[] gz = concat(gzip(a), gzip(new byte[0]), gzip(b));
    byte[] expected = readAll(new GZIPInputStream(new ByteArrayInputStream(gz)), 8192);
    assertThat(expected).isEqualTo(concat(a, b));
    for (int step : new int[] {1 << 20, 13, 1}) {
      try (InputStream in = new IsalGzipInputStream(trickle(gz, step))) {
        assertThat(readAll(in, 8192)).as("step %d", step).isEqualTo(expected);
      }
    }
  }

  @Test
  void ignoresBytesAfterTheLastMemberAsTheJdkDoes() throws IOException {
    byte[] data = sample(100_000, 5);
    byte[] gz = concat(gzip(data), new byte[1024]);
    assertThat(readAll(new GZIPInputStream(new ByteArrayInputStream(gz)), 8192)).isEqualTo(data);
    try (InputStream in = new IsalGzipInputStream(new ByteArrayInputStream(gz))) {
      assertThat(readAll(in, 8192)).isEqualTo(data);
    }
  }

  @Test
  void readsHeaderFieldsAJdkWriterNeverSets() throws IOException {
    byte[] data = "hello, header fields\n".getBytes();
    byte[] plain = gzip(data);
    // FEXTRA (4 bytes of extra), FNAME and FCOMMENT, as gzip(1) and some registries write them
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    gz.write(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
    gz.write(new byte[] {4, 0, 'a', 'b', 'c', 'd'});
    gz.writeBytes("layer.tar\0".getBytes());
    gz.writeBytes("a comment\0".getBytes());
    gz.write(plain, 10, plain.length - 10);
    byte[] bytes = gz.toByteArray();
    assertThat(readAll(new GZIPInputStream(new ByteArrayInputStream(bytes)), 64)).isEqualTo(data);
    try (InputStream in = new IsalGzipInputStream(trickle(bytes, 3))) {
      assertThat(readAll(in, 64)).isEqualTo(data);
    }
  }

  @Test
  void aTruncatedStreamFails() throws IOException {
    byte[] gz = gzip(sample(1 << 20, 6));
    for (int cut : new int[] {5, 100, gz.length / 2, gz.length - 4}) {
      byte[] shortened = Arrays.copyOf(gz, cut);
      assertThatThrownBy(() -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(shortened)), 8192))
          .as("cut at %d of %d", cut, gz.length)
          .isInstanceOf(EOFException.class)
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void aWrongChecksumOrSizeInTheTrailerFails() throws IOException {
    byte[] gz = gzip(sample(200_000, 7));
    byte[] badCrc = gz.clone();
    badCrc[gz.length - 8] ^= 1;
    byte[] badSize = gz.clone();
    badSize[gz.length - 1] ^= 1;
    for (byte[] bad : new byte[][] {badCrc, badSize}) {
      assertThatThrownBy(() -> readAll(new GZIPInputStream(new ByteArrayInputStream(bad)), 8192))
          .isInstanceOf(ZipException.class);
      assertThatThrownBy(() -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(bad)), 8192))
          .isInstanceOf(ZipException.class)
          .hasMessageContaining("trailer does not match");
    }
  }

  @Test
  void corruptDeflateDataFails() throws IOException {
    byte[] gz = gzip(sample(200_000, 8));
    byte[] bad = gz.clone();
    for (int i = 20; i < 60; i++) {
      bad[i] = (byte) 0xff;
    }
    assertThatThrownBy(() -> readAll(new GZIPInputStream(new ByteArrayInputStream(bad)), 8192))
        .isInstanceOf(ZipException.class);
    assertThatThrownBy(() -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(bad)), 8192))
        .isInstanceOf(ZipException.class)
        .hasMessageStartingWith("Invalid gzip data");
  }

  @Test
  void aHeaderWithAnotherMethodFails() throws IOException {
    byte[] gz = gzip(new byte[100]);
    gz[2] = 7;
    assertThatThrownBy(() -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(gz)), 8192))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("other than deflate");
  }

  @Test
  void decompressionPicksItForGzip() throws IOException {
    try (InputStream in = Platform.gzip().open(new ByteArrayInputStream(gzip(new byte[10])))) {
      assertThat(Platform.gzip().name()).isEqualTo("isal");
      assertThat(in).isInstanceOf(IsalGzipInputStream.class);
      assertThat(readAll(in, 64)).hasSize(10);
    }
  }
}
