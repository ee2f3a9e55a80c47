package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes against a MockWebServer registry that breaks uploads off as a real one cannot be made to on demand: a 5xx
 * answer to the upload, the connection closed while the blob's bytes are being sent. The upload is sent again from
 * a new read of the source, up to three times; past that the push fails in one message and no manifest is sent.
 */
class PushFaultTest {
  private static final byte[] PAYLOAD = new byte[400_000];

  static {
    new Random(5).nextBytes(PAYLOAD);
  }

  static final TestImage IMAGE =
      TestImage.builder().layer(LayerBuilder.layer().file("big", PAYLOAD, 0644, 0, 0)).build();

  @TempDir Path tmp;
  MockWebServer server;
  final Set<String> stored = ConcurrentHashMap.newKeySet();
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger uploads = new AtomicInteger();
  volatile Function<RecordedRequest, MockResponse> fault = r -> null;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        requests.add(r);
        MockResponse f = fault.apply(r);
        return f != null ? f : normal(r);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** Just enough of distribution's upload API: HEAD, POST, PUT ?digest= (checked), manifests. */
  private MockResponse normal(RecordedRequest r) {
    String path = r.getUrl().encodedPath();
    if (path.equals("/v2/")) {
      return new MockResponse.Builder().body("{}").build();
    }
    if (r.getMethod().equals("HEAD") && path.startsWith("/v2/app/blobs/")) {
      return new MockResponse.Builder().code(stored.contains(path.substring("/v2/app/blobs/".length())) ? 200 : 404)
          .build();
    }
    if (r.getMethod().equals("POST") && path.equals("/v2/app/blobs/uploads/")) {
      return new MockResponse.Builder().code(202)
          .setHeader("Location", "/v2/app/blobs/uploads/u" + uploads.incrementAndGet()).build();
    }
    if (r.getMethod().equals("PUT") && path.startsWith("/v2/app/blobs/uploads/")) {
      String digest = r.getUrl().queryParameter("digest");
      if (!Digest.sha256Of(r.getBody().toByteArray()).toString().equals(digest)) {
        return new MockResponse.Builder().code(400).body("{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}").build();
      }
      stored.add(digest);
      return new MockResponse.Builder().code(201).build();
    }
    if (r.getMethod().equals("PUT") && path.startsWith("/v2/app/manifests/")) {
      return new MockResponse.Builder().code(201).build();
    }
    return new MockResponse.Builder().code(404).build();
  }

  private boolean layerPut(RecordedRequest r) {
    return r.getMethod().equals("PUT") && r.getUrl().encodedPath().startsWith("/v2/app/blobs/uploads/")
        && IMAGE.layers().get(0).digest().equals(r.getUrl().queryParameter("digest"));
  }

  private ImageCopier.Result push() throws Exception {
    Path layout = tmp.resolve("layout");
    IMAGE.writeOciLayout(layout, "1");
    SourceOptions options = SourceOptions.DEFAULT.withTlsVerify(false).withReadTimeout(Duration.ofSeconds(5));
    SourceReference dest = SourceReference.parse("docker://127.0.0.1:" + server.getPort() + "/app:1");
    try (ImageSource source = ImageSource.open(SourceReference.parse("oci:" + layout + ":1"), options);
        ImageDestination d = ImageDestination.open(dest, options)) {
      ResolvedImage image = source.resolve(Platform.parse("linux/amd64"));
      ImageCopier.Result result = ImageCopier.copy(source, Optional.empty(), image, d,
          new ImageCopier.Options(List.of("1"), Optional.empty(), TransferListener.NONE));
      d.commit();
      return result;
    }
  }

  private long manifestPuts() {
    return requests.stream().filter(r -> r.getMethod().equals("PUT")
        && r.getUrl().encodedPath().startsWith("/v2/app/manifests/")).count();
  }

  @Test
  void a5xxAnswerToTheUploadIsSentAgainFromANewRead() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    fault = r -> layerPut(r) && failures.getAndIncrement() == 0
        ? new MockResponse.Builder().code(500).body("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"disk\"}]}")
            .build() : null;
    ImageCopier.Result result = push();
    assertThat(result.manifestDigest().toString()).isEqualTo(IMAGE.manifest().digest());
    assertThat(stored).contains(IMAGE.layers().get(0).digest());
    assertThat(requests.stream().filter(this::layerPut)).hasSize(2);
    assertThat(manifestPuts()).isEqualTo(1);
  }

  @Test
  void aConnectionClosedWhileTheBytesGoIsSentAgainTwice() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    fault = r -> layerPut(r) && failures.getAndIncrement() < 2
        ? new MockResponse.Builder().doNotReadRequestBody().onResponseStart(new SocketEffect.CloseSocket()).build() : null;
    push();
    assertThat(stored).contains(IMAGE.layers().get(0).digest());
    assertThat(manifestPuts()).isEqualTo(1);
  }

  @Test
  void anUploadThatAlwaysFailsStopsAfterThreeAttemptsWithoutAManifest() {
    fault = r -> layerPut(r) ? new MockResponse.Builder().code(503).body("{}").build() : null;
    assertThatThrownBy(this::push).isInstanceOf(RegistryException.class)
        .hasMessageContaining("HTTP 503").hasMessageContaining("(3 attempts)")
        .hasMessageContaining("the image was not pushed");
    assertThat(requests.stream().filter(this::layerPut)).hasSize(3);
    assertThat(manifestPuts()).isZero();
  }

  @Test
  void aRegistryThatRefusesTheDigestIsNotAskedAgain() {
    fault = r -> layerPut(r) ? new MockResponse.Builder().code(400)
        .body("{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"provided digest did not match\"}]}").build()
        : null;
    assertThatThrownBy(this::push).isInstanceOf(RegistryException.class).hasMessageContaining("DIGEST_INVALID");
    assertThat(requests.stream().filter(this::layerPut)).hasSize(1);
    assertThat(manifestPuts()).isZero();
  }
}
