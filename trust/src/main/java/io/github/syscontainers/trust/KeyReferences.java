package io.github.syscontainers.trust;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code trust add -k REFERENCE} embeds in the policy, found as atomic found it: a key file, a key downloaded
 * from a URL, or a key of the user's GnuPG keyring named by fingerprint, ID or user ID (which atomic exported with
 * {@code gpg2 --armor --export}; here read from the keyring with Bouncy Castle).
 */
public final class KeyReferences {
  private static final int MAX_KEY = 1 << 20;

  private KeyReferences() {}

  /** Whether {@code reference} is a URL (a download), which for {@code http} deserves a question first. */
  public static boolean isUrl(String reference) {
    String r = reference.toLowerCase(Locale.ROOT);
    return r.startsWith("https://") || r.startsWith("http://");
  }

  /**
   * The key bytes {@code reference} names.
   *
   * @param env the environment ({@code GNUPGHOME})
   * @param home the user's home, for {@code ~/.gnupg}
   */
  public static byte[] read(String reference, Map<String, String> env, Path home) throws TrustException {
    if (isUrl(reference)) {
      return download(URI.create(reference));
    }
    Path file = Path.of(reference);
    if (Files.isRegularFile(file)) {
      try {
        if (Files.size(file) > MAX_KEY) {
          throw new TrustException("The public key file " + file + " is over 1 MiB; that is no key");
        }
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new TrustException("Cannot read the public key file " + file + ": " + e.getMessage(), e);
      }
    }
    return GnupgHome.of(env, home).exportArmored(reference);
  }

  private static byte[] download(URI url) throws TrustException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    try {
      HttpResponse<InputStream> r = client.send(
          HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        if (r.statusCode() != 200) {
          throw new TrustException("Could not download public key from " + url + ". Status code " + r.statusCode()
              + ".");
        }
        byte[] key = in.readNBytes(MAX_KEY + 1);
        if (key.length > MAX_KEY) {
          throw new TrustException("The public key at " + url + " is over 1 MiB; that is no key");
        }
        return key;
      }
    } catch (IOException e) {
      throw new TrustException("Could not download public key from " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrustException("Interrupted while downloading the public key from " + url, e);
    }
  }
}
