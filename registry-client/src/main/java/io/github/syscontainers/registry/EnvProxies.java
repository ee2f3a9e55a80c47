package io.github.syscontainers.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.Authenticator;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

/**
 * Proxies from the environment, with Go's rules (what skopeo and podman follow): {@code HTTPS_PROXY} for https,
 * {@code HTTP_PROXY} for http (lower-case names too), none for {@code localhost} and loopback addresses, and
 * {@code NO_PROXY}: {@code *}, a host and its subdomains ({@code example.com}, {@code .example.com}), or
 * {@code host:port}. A proxy URL may carry {@code user:password@}, sent as {@code Proxy-Authorization}. The JVM
 * itself reads only its {@code https.proxyHost} properties, so without this the variables would be ignored.
 *
 * <p>Immutable and thread-safe.
 */
final class EnvProxies extends ProxySelector {
  private final Optional<HttpUrl> https;
  private final Optional<HttpUrl> http;
  private final List<String> noProxy;

  private EnvProxies(Optional<HttpUrl> https, Optional<HttpUrl> http, List<String> noProxy) {
    this.https = https;
    this.http = http;
    this.noProxy = noProxy;
  }

  static EnvProxies from(Map<String, String> env) throws RegistryException {
    String noProxy = first(env, "NO_PROXY", "no_proxy");
    return new EnvProxies(
        url(first(env, "HTTPS_PROXY", "https_proxy"), "HTTPS_PROXY"),
        url(first(env, "HTTP_PROXY", "http_proxy"), "HTTP_PROXY"),
        noProxy == null ? List.of()
            : List.of(noProxy.toLowerCase(Locale.ROOT).replace(" ", "").split(",")));
  }

  private static String first(Map<String, String> env, String upper, String lower) {
    String v = env.get(upper);
    return v == null || v.isEmpty() ? env.get(lower) : v;
  }

  private static Optional<HttpUrl> url(String value, String name) throws RegistryException {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    HttpUrl u = HttpUrl.parse(value.contains("://") ? value : "http://" + value);
    if (u == null) {
      throw new RegistryException("The proxy " + name + "=" + value + " is not a URL; fix or unset it");
    }
    return Optional.of(u);
  }

  boolean any() {
    return https.isPresent() || http.isPresent();
  }

  @Override
  public List<Proxy> select(URI uri) {
    Optional<HttpUrl> p = "https".equals(uri.getScheme()) ? https : http;
    if (p.isEmpty() || bypass(uri.getHost(), uri.getPort())) {
      return List.of(Proxy.NO_PROXY);
    }
    return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.get().host(), p.get().port())));
  }

  /** Go's useProxy: loopback and NO_PROXY matches go direct. */
  boolean bypass(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.startsWith("127.") || h.equals("::1")) {
      return true;
    }
    for (String entry : noProxy) {
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        return true;
      }
      String e = entry;
      int colon = e.lastIndexOf(':');
      if (colon > 0 && !e.endsWith("]") && e.indexOf(':') == colon) {
        if (!e.substring(colon + 1).equals(String.valueOf(port))) {
          continue;
        }
        e = e.substring(0, colon);
      }
      String suffix = e.startsWith(".") ? e : "." + e;
      String bare = e.startsWith(".") ? e.substring(1) : e;
      if (h.equals(bare) || h.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** Answers a proxy's 407 with the credentials in its URL, once. */
  Authenticator authenticator() {
    return (route, response) -> {
      if (response.request().header("Proxy-Authorization") != null) {
        return null;
      }
      Optional<HttpUrl> p = response.request().isHttps() ? https : http;
      if (p.isEmpty() || p.get().username().isEmpty()) {
        return null;
      }
      return response.request().newBuilder()
          .header("Proxy-Authorization", Credentials.basic(p.get().username(), p.get().password()))
          .build();
    };
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // nothing to remember: one proxy per scheme
  }
}
