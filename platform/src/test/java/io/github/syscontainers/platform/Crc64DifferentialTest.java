package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ISA-L's CRC-64 against the Java twin, property-style (issue 31, on issue 30's rules): seeded random data in random
 * pieces, both give the same checksum, and both the catalogue's check value. The seed of a failing case is printed;
 * {@code -Dsyscontainers.diff.seed=S} repeats it, {@code -Dsyscontainers.diff.cases=N} runs more.
 */
class Crc64DifferentialTest {
  @Test
  void bothGiveTheCataloguesCheckValue() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(JavaCrc64.INSTANCE.update(0, check, 0, check.length)).isEqualTo(0xb90956c775a41001L);
    Peers.requireNative(IsalCrc64.LOADED, "libisal2 is not installed (.ci/run installs it)");
    assertThat(IsalCrc64.INSTANCE.update(0, check, 0, check.length)).isEqualTo(0xb90956c775a41001L);
    assertThat(Platform.crcSelfTest(IsalCrc64.INSTANCE)).isNull();
    assertThat(Platform.crc64().name()).isEqualTo("isal");
  }

  @Test
  void isalAndJavaAgreeOnRandomDataInRandomPieces() {
    Peers.requireNative(IsalCrc64.LOADED, "libisal2 is not installed (.ci/run installs it)");
    long seed = Long.getLong("syscontainers.diff.seed", System.nanoTime());
    int cases = Integer.getInteger("syscontainers.diff.cases", 2000);
    Random r = new Random(seed);
    for (int i = 0; i < cases; i++) {
      byte[] data = new byte[r.nextInt(4) == 0 ? r.nextInt(300_000) : r.nextInt(200)];
      r.nextBytes(data);
      long isal = 0;
      long java = 0;
      for (int at = 0; at < data.length; ) {
        int n = Math.min(data.length - at, r.nextBoolean() ? 1 + r.nextInt(16) : 1 + r.nextInt(100_000));
        isal = IsalCrc64.INSTANCE.update(isal, data, at, n);
        java = JavaCrc64.INSTANCE.update(java, data, at, n);
        at += n;
      }
      assertThat(isal).as("seed %d, case %d (%d bytes)", seed, i, data.length).isEqualTo(java)
          .isEqualTo(JavaCrc64.INSTANCE.update(0, data, 0, data.length));
    }
  }

  /** The textbook loop, one bit a step, against the sliced twin. */
  @Test
  void theJavaTwinIsTheTextbookCrc() {
    Random r = new Random(64);
    for (int n = 0; n < 300; n++) {
      byte[] data = new byte[r.nextInt(100)];
      r.nextBytes(data);
      long crc = ~0L;
      for (byte b : data) {
        crc ^= b & 0xFF;
        for (int k = 0; k < 8; k++) {
          crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xD800000000000000L : crc >>> 1;
        }
      }
      assertThat(JavaCrc64.INSTANCE.update(0, data, 0, data.length)).isEqualTo(~crc);
    }
  }
}
