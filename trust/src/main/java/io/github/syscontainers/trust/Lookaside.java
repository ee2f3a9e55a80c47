package io.github.syscontainers.trust;

import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the "simple signing" signatures of an image from a lookaside store (containers-registries.d(5)):
 * {@code BASE@ALGO=HEX/signature-1}, {@code -2}, … until the first that does not exist, over {@code file://},
 * {@code http://} or {@code https://}. Each signature is capped at 4 MiB and the count at 128, as containers/image
 * caps them; a redirect is followed only on the same host, and any other status than 200 or 404 is an error.
 *
 * <p>Thread-safe.
 */
final class Lookaside {
  static final int MAX_SIGNATURES = 128;
  private static final int MAX_REDIRECTS = 5;

  private final Duration timeout;
  private volatile HttpClient http;

  Lookaside(Duration timeout) {
    this.timeout = timeout;
  }

  /** The HTTP client, made at the first http(s) lookaside: a file:// store (the common case) needs none. */
  private HttpClient http() {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        if (http == null) {
          http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        }
        h = http;
      }
    }
    return h;
  }

  /** The signatures of the image with manifest {@code digest} under {@code base}, in order. */
  List<byte[]> read(URI base, Digest digest) throws TrustException {
    return readAt(URI.create(base + "@" + digest.algorithm() + "=" + digest.hex()));
  }

  /** The signatures {@code signature-1}, {@code -2}, … in the directory {@code dir}, in order. */
  List<byte[]> readAt(URI dir) throws TrustException {
    List<byte[]> out = new ArrayList<>();
    for (int i = 1; i <= MAX_SIGNATURES; i++) {
      URI u = URI.create(dir + "/signature-" + i);
      byte[] sig = fetch(u);
      if (sig == null) {
        return out;
      }
      out.add(sig);
    }
    throw new TrustException("The lookaside " + dir + " holds more than " + MAX_SIGNATURES + " signatures; that is"
        + " no signature store");
  }

  /** One signature, or null when there is none at {@code u}. */
  private byte[] fetch(URI u) throws TrustException {
    String scheme = String.valueOf(u.getScheme());
    if (scheme.equals("file")) {
      Path p = Path.of(u.getPath());
      try {
        if (Files.size(p) > OpenPgpVerifier.MAX_SIGNATURE) {
          throw new TrustException("The signature " + p + " is over the 4 MiB limit");
        }
        return Files.readAllBytes(p);
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw new TrustException("Cannot read the signature " + p + ": " + e.getMessage(), e);
      }
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new TrustException("The lookaside " + u + " is neither file://, http:// nor https://");
    }
    URI at = u;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<InputStream> r;
      try {
        r = http().send(HttpRequest.newBuilder(at).timeout(Duration.ofSeconds(60)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new TrustException("Cannot read the signature " + at + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrustException("Interrupted while reading the signature " + at, e);
      }
      try (InputStream body = r.body()) {
        int code = r.statusCode();
        if (code == 404) {
          return null;
        }
        if (code / 100 == 3) {
          URI next = r.headers().firstValue("Location").map(at::resolve).orElse(null);
          if (next == null || !sameOrigin(u, next)) {
            throw new TrustException("The lookaside " + u + " redirects to " + next + ", another host; signatures are"
                + " read only where registries.d says");
          }
          at = next;
          continue;
        }
        if (code != 200) {
          throw new TrustException("Reading the signature " + at + " failed: HTTP " + code);
        }
        byte[] data = body.readNBytes(OpenPgpVerifier.MAX_SIGNATURE + 1);
        if (data.length > OpenPgpVerifier.MAX_SIGNATURE) {
          throw new TrustException("The signature " + at + " is over the 4 MiB limit");
        }
        return data;
      } catch (IOException e) {
        throw new TrustException("Cannot read the signature " + at + ": " + e, e);
      }
    }
    throw new TrustException("The lookaside " + u + " redirects more than " + MAX_REDIRECTS + " times");
  }

  private static boolean sameOrigin(URI a, URI b) {
    return String.valueOf(a.getScheme()).equals(String.valueOf(b.getScheme()))
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost())) && a.getPort() == b.getPort();
  }
}
