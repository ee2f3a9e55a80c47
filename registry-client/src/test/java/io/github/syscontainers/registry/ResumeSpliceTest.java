package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.FakeRegistry;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 27, item 5: a blob resumed with {@code Range} is the same byte stream as one fetched whole, wherever it broke
 * off (inside the gzip member header, right after it, inside a deflate block, in the trailer; after 0, 1 or N
 * bytes) and when the body was dropped for arriving below the low-speed limit. The reader asks for bytes as an
 * inflater does, never with a zero length (a zero-length read hid the lost bytes from earlier tests).
 */
class ResumeSpliceTest {
  static final TestImage IMAGE = TestImage.noiseAndText(200000, 27);
  static final TestImage.Blob LAYER = IMAGE.layers().get(0);

  static final SourceOptions OPTIONS =
      SourceOptions.DEFAULT.withTlsVerify(false).withReadTimeout(Duration.ofSeconds(2))
          .withRetry(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofSeconds(60), 5, 0, Duration.ofSeconds(30)));

  /** Break-off points: 0, 1, in the 10-byte header, just after it, in a deflate block, mid-way, in the trailer. */
  static int[] offsets() {
    int size = LAYER.data().length;
    return new int[] {0, 1, 5, 9, 10, 11, 1000, size / 2, size - 8, size - 5, size - 1};
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void aBodyThatBreaksOffAnywhereIsResumedByteExact(int which) throws Exception {
    int at = offsets()[which];
    try (FakeRegistry reg = new FakeRegistry(IMAGE)) {
      reg.fault(reg.blobPath(LAYER), r -> FakeRegistry.truncated(LAYER.data(), at));
      byte[] got = fetch(reg, OPTIONS);
      assertThat(got).isEqualTo(LAYER.data());
      assertThat(gunzip(got)).isEqualTo(gunzip(LAYER.data()));
      List<String> ranges =
          reg.requestsFor(reg.blobPath(LAYER)).stream().map(r -> String.valueOf(r.getHeaders().get("Range"))).toList();
      assertThat(ranges).containsExactly("null", at == 0 ? "null" : "bytes=" + at + "-");
    }
  }

  @Test
  void aBodyDroppedUnderTheSpeedFloorIsResumedByteExact() throws Exception {
    RetryPolicy floor =
        new RetryPolicy(5, Duration.ofMillis(10), Duration.ofSeconds(60), 5, 1 << 20, Duration.ofMillis(300));
    try (FakeRegistry reg = new FakeRegistry(IMAGE)) {
      reg.fault(
          reg.blobPath(LAYER),
          r -> new MockResponse.Builder().body(new Buffer().write(LAYER.data()))
              .throttleBody(700, 50, TimeUnit.MILLISECONDS).build());
      byte[] got = fetch(reg, OPTIONS.withRetry(floor));
      assertThat(got).isEqualTo(LAYER.data());
      List<String> ranges =
          reg.requestsFor(reg.blobPath(LAYER)).stream().map(r -> String.valueOf(r.getHeaders().get("Range"))).toList();
      assertThat(ranges).hasSize(2);
      assertThat(ranges.get(1)).startsWith("bytes=");
    }
  }

  /** Reads the blob as an inflater does: arrays of a few hundred bytes, never a zero-length read. */
  static byte[] fetch(FakeRegistry reg, SourceOptions options) throws Exception {
    try (ImageSource src = ImageSource.open(SourceReference.parse(reg.ref()), options)) {
      Descriptor d = Descriptor.of(LAYER.mediaType(), Digest.parse(LAYER.digest()), LAYER.data().length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = src.openBlob(d)) {
        byte[] buf = new byte[700];
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
          out.write(buf, 0, n);
        }
      }
      return out.toByteArray();
    }
  }

  static byte[] gunzip(byte[] gz) throws Exception {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
