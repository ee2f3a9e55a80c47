package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ranges of a blob: from a real docker-registry (Go's multipart/byteranges, single-range answers, 1024 ranges a
 * request, gaps merged), and from a server that ignores Range, refuses many ranges at once, sends fewer than asked or
 * names a range the blob does not have.
 */
class BlobRangeFetcherTest {
  private static final byte[] BLOB = new byte[2_500_000];

  static {
    new Random(5).nextBytes(BLOB);
  }

  @TempDir Path tmp;
  final OkHttpClient http = new OkHttpClient();

  private static Descriptor blob() {
    return Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256Of(BLOB), BLOB.length);
  }

  private BlobRangeFetcher fetcher(String url, Descriptor blob) {
    return new BlobRangeFetcher(range -> http.newCall(new Request.Builder().url(url).header("Range", range).build())
        .execute(), blob, "the test blob");
  }

  /** Fetches {@code ranges}; returns what each got. */
  private static Map<ByteRange, byte[]> fetch(BlobRangeFetcher f, List<ByteRange> ranges) throws Exception {
    Map<ByteRange, byte[]> got = new LinkedHashMap<>();
    f.fetch(ranges, (r, in) -> got.put(r, in.readAllBytes()));
    return got;
  }

  private static void assertExact(Map<ByteRange, byte[]> got, List<ByteRange> ranges) {
    assertThat(got.keySet()).containsExactlyElementsOf(ranges);
    for (ByteRange r : ranges) {
      assertThat(got.get(r)).as(r.toString()).isEqualTo(Arrays.copyOfRange(BLOB, (int) r.start(), (int) r.end()));
    }
  }

  @Test
  void aRealRegistryServesManyRangesInMultipartAnswers() throws Exception {
    TestImage image = TestImage.builder().compressedLayer(BLOB, "sha256:" + "0".repeat(64))
        .layer(LayerBuilder.layer().file("x", "x", 0644)).build();
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      new RegistryPusher(registry.address()).push("r/blob", "1", image);
      String url = "http://" + registry.address() + "/v2/r/blob/blobs/" + Digest.sha256Of(BLOB);
      List<ByteRange> three = List.of(new ByteRange(0, 10), new ByteRange(5_000, 9_000), new ByteRange(2_499_990, 2_500_000));
      BlobRangeFetcher f = fetcher(url, blob());
      assertExact(fetch(f, three), three);
      assertThat(f.received()).as("only what was asked").isEqualTo(10 + 4_000 + 10);
      // one range: a plain 206
      List<ByteRange> one = List.of(new ByteRange(100, 200));
      assertExact(fetch(fetcher(url, blob()), one), one);
      // 1500 ranges, 100 bytes apart: gaps under 1 KiB merged into one span each 15 ranges... and 2 requests
      List<ByteRange> many = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        many.add(new ByteRange(i * 200L, i * 200L + 100));
      }
      BlobRangeFetcher fm = fetcher(url, blob());
      assertExact(fetch(fm, many), many);
      assertThat(fm.received()).as("the merged gaps come too").isEqualTo(299_900);
      assertThat(fm.received()).isLessThan(BLOB.length);
      // 1100 ranges too far apart to merge: 1024 in one request, 76 in the next
      List<ByteRange> sparse = new ArrayList<>();
      for (int i = 0; i < 1100; i++) {
        sparse.add(new ByteRange(i * 2_000L + 1_500, i * 2_000L + 1_510));
      }
      long before = registry.settledLog().lines().filter(l -> l.contains("GET /v2/r/blob/blobs/")).count();
      BlobRangeFetcher fs = fetcher(url, blob());
      assertExact(fetch(fs, sparse), sparse);
      assertThat(fs.received()).isEqualTo(11_000);
      assertThat(registry.settledLog().lines().filter(l -> l.contains("GET /v2/r/blob/blobs/")).count() - before)
          .isEqualTo(2);
    }
  }

  @Test
  void spansAreMergedAcrossGapsUnderOneKibibyte() {
    assertThat(BlobRangeFetcher.merge(List.of(new ByteRange(0, 10), new ByteRange(1_033, 1_040),
        new ByteRange(2_064, 2_070), new ByteRange(3_093, 3_100))))
        .containsExactly(new ByteRange(0, 1_040), new ByteRange(2_064, 3_100)); // 1023 bytes apart merge, 1024 do not
  }

  /** A fake registry answering every blob request with {@code answer}, recording the Range headers. */
  private MockWebServer fake(List<String> ranges, Function<String, MockResponse> answer) throws Exception {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        String range = r.getHeaders().get("Range");
        ranges.add(range);
        return answer.apply(range);
      }
    });
    server.start();
    return server;
  }

  @Test
  void aServerThatIgnoresRangeSendsTheWholeBlobAndTheRangesAreTakenFromIt() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    try (MockWebServer server = fake(asked, r -> new MockResponse.Builder().body(new okio.Buffer().write(BLOB))
        .build())) {
      List<ByteRange> ranges = List.of(new ByteRange(10, 20), new ByteRange(200_000, 200_100));
      BlobRangeFetcher f = fetcher(server.url("/b").toString(), blob());
      assertExact(fetch(f, ranges), ranges);
      assertThat(asked).containsExactly("bytes=10-19,200000-200099");
      // unless the whole blob is not to be read: then it is refused at once
      BlobRangeFetcher refusing = new BlobRangeFetcher(range -> http.newCall(new Request.Builder()
          .url(server.url("/b")).header("Range", range).build()).execute(), blob(), "the test blob", false);
      assertThatThrownBy(() -> fetch(refusing, ranges)).isInstanceOf(BlobRangeFetcher.RangesIgnored.class)
          .hasMessage("The registry ignores Range requests: it answered 200 with the whole blob " + blob().digest()
              + " of the test blob");
      assertThat(refusing.received()).isZero();
    }
  }

  @Test
  void aRefusalOfManyRangesIsAnsweredByHalvesAndOneRangeAtATime() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    try (MockWebServer server = fake(asked, r -> {
      if (r.contains(",")) {
        return new MockResponse.Builder().code(416).build();
      }
      String[] se = r.substring("bytes=".length()).split("-");
      int s = Integer.parseInt(se[0]);
      int e = Integer.parseInt(se[1]);
      return new MockResponse.Builder().code(206).addHeader("Content-Range", "bytes " + s + "-" + e + "/" + BLOB.length)
          .body(new okio.Buffer().write(Arrays.copyOfRange(BLOB, s, e + 1))).build();
    })) {
      List<ByteRange> ranges = List.of(new ByteRange(0, 5), new ByteRange(10_000, 10_005),
          new ByteRange(20_000, 20_005));
      assertExact(fetch(fetcher(server.url("/b").toString(), blob()), ranges), ranges);
      assertThat(asked).containsExactly("bytes=0-4,10000-10004,20000-20004", "bytes=0-4",
          "bytes=10000-10004,20000-20004", "bytes=10000-10004", "bytes=20000-20004");
    }
  }

  @Test
  void fewerRangesThanAskedOrARangeOutsideTheBlobAreErrors() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    try (MockWebServer server = fake(asked, r -> new MockResponse.Builder().code(206)
        .addHeader("Content-Range", "bytes 0-4/" + BLOB.length)
        .body(new okio.Buffer().write(Arrays.copyOfRange(BLOB, 0, 5))).build())) {
      List<ByteRange> ranges = List.of(new ByteRange(0, 5), new ByteRange(10_000, 10_005));
      assertThatThrownBy(() -> fetch(fetcher(server.url("/b").toString(), blob()), ranges))
          .isInstanceOf(RegistryException.class)
          .hasMessage("The registry did not send 1 of the ranges of blob " + blob().digest()
              + " of the test blob asked for (the first: bytes 10000-10004)");
    }
    try (MockWebServer server = fake(asked, r -> new MockResponse.Builder().code(206)
        .addHeader("Content-Range", "bytes 0-4/999")
        .body(new okio.Buffer().write(Arrays.copyOfRange(BLOB, 0, 5))).build())) {
      assertThatThrownBy(() -> fetch(fetcher(server.url("/b").toString(), blob()), List.of(new ByteRange(0, 5))))
          .isInstanceOf(RegistryException.class).hasMessageContaining("not within its 2500000 bytes");
    }
    try (MockWebServer server = fake(asked, r -> new MockResponse.Builder().code(404).build())) {
      assertThatThrownBy(() -> fetch(fetcher(server.url("/b").toString(), blob()), List.of(new ByteRange(0, 5))))
          .isInstanceOf(RegistryException.class).hasMessageContaining("answered HTTP 404 to a request for 1 range(s)");
    }
  }
}
