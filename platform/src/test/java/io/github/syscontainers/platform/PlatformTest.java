package io.github.syscontainers.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Peers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The entry point: one switch for every native piece, self-tests before use, the twin when one fails. */
class PlatformTest {
  @Test
  void oneSwitchTurnsEveryNativePieceOff() {
    String before = System.getProperty("syscontainers.native");
    try {
      System.setProperty("syscontainers.native", "false");
      assertThat(Platform.nativeAllowed()).isFalse();
      System.clearProperty("syscontainers.native");
      assertThat(Platform.nativeAllowed()).isTrue();
    } finally {
      if (before != null) {
        System.setProperty("syscontainers.native", before);
      }
    }
    assertThat(Platform.choose(false).name()).isEqualTo("zlib");
  }

  @Test
  void isalPassesItsSelfTestAndIsChosen() {
    Peers.requireNative(IsalGzipInputStream.loaded(), "libisal.so.2 is not installed (apt-get install libisal2)");
    assertThat(Platform.selfTest(Platform.ISAL)).isNull();
    assertThat(Platform.choose(true).name()).isEqualTo("isal");
  }

  @Test
  void anInflaterThatFailsItsSelfTestIsNotUsed() {
    GzipInflater broken = new GzipInflater() {
      @Override
      public InputStream open(InputStream compressed) {
        return new ByteArrayInputStream(new byte[] {1, 2, 3});
      }

      @Override
      public String name() {
        return "broken";
      }
    };
    assertThat(Platform.selfTest(broken)).isEqualTo("it gave other bytes than zlib");
    assertThat(Platform.selfTest(Platform.ZLIB)).isNull();
  }

  /** Issue 35: a small gzip stream is inflated by the JDK (no native library loaded for it); a large one as chosen. */
  @Test
  void aSmallStreamIsInflatedByTheJdk() {
    assertThat(Platform.gzip(2048).name()).isEqualTo("zlib");
    assertThat(Platform.gzip(Platform.NATIVE_GZIP_FROM - 1).name()).isEqualTo("zlib");
    assertThat(Platform.gzip(Platform.NATIVE_GZIP_FROM)).isSameAs(Platform.gzip());
    assertThat(Platform.gzip(-1)).isSameAs(Platform.gzip());
  }
}
