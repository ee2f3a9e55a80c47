package io.github.syscontainers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.FakeRegistry;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.Decompression;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.RetryPolicy;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 27, item 5: a pull whose layer broke off (at every boundary of its gzip stream) or fell under the speed
 * floor is resumed, inflated and imported, its DiffID verified. Surefire runs this class twice: with ISA-L (the
 * default where libisal2 is installed, as CI has it) and with the JDK's zlib ({@code -Dsyscontainers.isal=false}).
 */
class ResumedPullTest {
  static final TestImage IMAGE = TestImage.noiseAndText(150000, 5);
  static final TestImage.Blob LAYER = IMAGE.layers().get(0);

  static final SourceOptions OPTIONS =
      SourceOptions.DEFAULT.withTlsVerify(false).withReadTimeout(Duration.ofSeconds(2))
          .withRetry(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofSeconds(60), 5, 0, Duration.ofSeconds(30)));

  @TempDir Path tmp;

  @BeforeAll
  static void inflaterAsAsked() {
    if ("false".equals(System.getProperty("syscontainers.isal"))
        || "false".equals(System.getProperty("syscontainers.native"))) {
      assertThat(Decompression.gzipInflater()).isEqualTo("zlib");
    } else {
      Peers.requireThat(Decompression.gzipInflater().equals("isal"), "libisal2 is not installed (.ci/run installs it)");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, 10, 11, 4096, -8, -5, -1})
  void aLayerBrokenOffAnywhereIsResumedAndImported(int where) throws Exception {
    int size = LAYER.data().length;
    int at = where >= 0 ? where : size + where;
    try (FakeRegistry reg = new FakeRegistry(IMAGE)) {
      reg.fault(reg.blobPath(LAYER), r -> FakeRegistry.truncated(LAYER.data(), at));
      pullAndCheck(reg, OPTIONS);
    }
  }

  @Test
  void aLayerDroppedUnderTheSpeedFloorIsResumedAndImported() throws Exception {
    RetryPolicy floor =
        new RetryPolicy(5, Duration.ofMillis(10), Duration.ofSeconds(60), 5, 1 << 20, Duration.ofMillis(300));
    try (FakeRegistry reg = new FakeRegistry(IMAGE)) {
      reg.fault(reg.blobPath(LAYER), r -> new MockResponse.Builder().body(new Buffer().write(LAYER.data()))
          .throttleBody(1000, 50, TimeUnit.MILLISECONDS).build());
      pullAndCheck(reg, OPTIONS.withRetry(floor));
      assertThat(reg.requestsFor(reg.blobPath(LAYER))).hasSize(2);
    }
  }

  private void pullAndCheck(FakeRegistry reg, SourceOptions options) throws Exception {
    ImageStore store = new ImageStore(OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER), Clock.systemUTC());
    StoredImage image = new Puller(store).pull(SourceReference.parse(reg.ref()), options, Platform.parse("linux/amd64"));
    Digest layer = Digest.parse(LAYER.digest());
    assertThat(image.layers()).containsExactly(layer);
    assertThat(store.layerDiffId(layer)).contains(Digest.parse(LayerBuilder.sha256(gunzip(LAYER.data()))));
    assertThat(Files.list(tmp.resolve("repo/tmp/partial-blobs")).toList()).as("nothing kept once imported").isEmpty();
  }

  static byte[] gunzip(byte[] gz) throws Exception {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
