package io.github.syscontainers.registry;

import io.github.syscontainers.fixtures.TestImage;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A registry on loopback, served by MockWebServer, for the faults a real registry cannot produce: it serves one
 * image as {@code img:1} (and by digest) with Range support, and answers a path with scripted faults first. Every
 * request is recorded.
 */
final class FakeRegistry implements Closeable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  final MockWebServer server = new MockWebServer();
  final TestImage image;
  final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Deque<Function<RecordedRequest, MockResponse>>> faults = new ConcurrentHashMap<>();
  private volatile Function<RecordedRequest, MockResponse> always;

  FakeRegistry(TestImage image) throws IOException {
    this(image, s -> {});
  }

  /** @param setup configures the server before it starts, for example {@code useHttps} */
  FakeRegistry(TestImage image, java.util.function.Consumer<MockWebServer> setup) throws IOException {
    this.image = image;
    setup.accept(server);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            requests.add(r);
            String path = r.getUrl().encodedPath();
            Function<RecordedRequest, MockResponse> f = always;
            if (f != null) {
              MockResponse m = f.apply(r);
              if (m != null) {
                return m;
              }
            }
            Deque<Function<RecordedRequest, MockResponse>> q = faults.get(path);
            Function<RecordedRequest, MockResponse> next = q == null ? null : q.poll();
            return next != null ? next.apply(r) : normal(r);
          }
        });
    server.start();
  }

  /** The reference of the image, {@code 127.0.0.1:PORT/img:1}. */
  String ref() {
    return "127.0.0.1:" + server.getPort() + "/img:1";
  }

  String manifestPath() {
    return "/v2/img/manifests/1";
  }

  String blobPath(TestImage.Blob b) {
    return "/v2/img/blobs/" + b.digest();
  }

  /** Answers the next requests for {@code path} with these, in order, then normally again. */
  @SafeVarargs
  final void fault(String path, Function<RecordedRequest, MockResponse>... answers) {
    faults.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
  }

  /** Answers every request with {@code f}, unless it returns null. */
  void always(Function<RecordedRequest, MockResponse> f) {
    this.always = f;
  }

  /** The requests for {@code path}, in order. */
  List<RecordedRequest> requestsFor(String path) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.getUrl().encodedPath().equals(path)).toList();
    }
  }

  MockResponse normal(RecordedRequest r) {
    String path = r.getUrl().encodedPath();
    if (path.equals("/v2/")) {
      return new MockResponse.Builder().body("{}").build();
    }
    if (path.equals(manifestPath()) || path.equals("/v2/img/manifests/" + image.manifest().digest())) {
      return new MockResponse.Builder()
          .setHeader("Content-Type", image.manifest().mediaType())
          .setHeader("Docker-Content-Digest", image.manifest().digest())
          .body(new Buffer().write(image.manifest().data()))
          .build();
    }
    for (TestImage.Blob b : image.blobs()) {
      if (path.equals(blobPath(b))) {
        return blob(b.data(), r.getHeaders().get("Range"));
      }
    }
    return new MockResponse.Builder().code(404).body("{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"no\"}]}").build();
  }

  /** A blob's bytes, honouring {@code Range: bytes=N-}. */
  static MockResponse blob(byte[] data, String range) {
    Matcher m = range == null ? null : RANGE.matcher(range);
    if (m != null && m.matches()) {
      int from = Integer.parseInt(m.group(1));
      return new MockResponse.Builder()
          .code(206)
          .setHeader("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length)
          .body(new Buffer().write(data, from, data.length - from))
          .build();
    }
    return new MockResponse.Builder().body(new Buffer().write(data)).build();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
