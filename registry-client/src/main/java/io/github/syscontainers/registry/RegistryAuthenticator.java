package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Authenticator;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;
import okhttp3.ResponseBody;

/**
 * Answers a registry's 401 once per request: Basic with the user's credentials, or Bearer with a token fetched from
 * the challenge's realm and cached per scope. Credentials go to a token realm only when it is on the registry's own
 * host, so a hostile registry cannot send them elsewhere.
 *
 * <p>Thread-safe.
 */
final class RegistryAuthenticator implements Authenticator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_TOKEN_BODY = 1L << 20;
  /** The user name that marks an identity token, as Docker's credential helpers return it. */
  static final String IDENTITY_TOKEN = "<token>";
  private static final java.util.Set<String> DOCKER_HUB_HOSTS =
      java.util.Set.of("docker.io", "registry-1.docker.io", "index.docker.io");

  private final String registryHost;
  private final Optional<String> credentials;
  private final OkHttpClient tokenClient;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  /** The last Authorization this registry was given, sent up front on later requests to save a 401 each. */
  private volatile String lastAuthorization;

  RegistryAuthenticator(String registryHost, Optional<String> credentials, OkHttpClient tokenClient) {
    this.registryHost = registryHost;
    this.credentials = credentials;
    this.tokenClient = tokenClient;
  }

  @Override
  public Request authenticate(Route route, Response response) throws IOException {
    if (response.request().header("Authorization") != null && priorResponses(response) > 0) {
      return null; // one re-auth per request, never a loop
    }
    Optional<Challenge> c = Challenge.parse(response.header("WWW-Authenticate"));
    if (c.isEmpty()) {
      // F12: a 401 without a challenge (the ping was anonymous, the repository is not): the credentials, once
      if (credentials.isEmpty() || response.request().header("Authorization") != null
          || credentials.get().startsWith(IDENTITY_TOKEN + ":")) {
        return null;
      }
      return remember(response.request().newBuilder().header("Authorization", basic(credentials.get())).build());
    }
    if (c.get().scheme().equals("basic")) {
      if (credentials.isEmpty() || credentials.get().startsWith(IDENTITY_TOKEN + ":")) {
        return null;
      }
      return remember(response.request().newBuilder().header("Authorization", basic(credentials.get())).build());
    }
    if (!c.get().scheme().equals("bearer")) {
      return null;
    }
    String token = token(c.get(), response.request().header("Authorization"));
    return remember(response.request().newBuilder().header("Authorization", "Bearer " + token).build());
  }

  private Request remember(Request authorized) {
    lastAuthorization = authorized.header("Authorization");
    return authorized;
  }

  /**
   * Sends the last Authorization up front to the registry's own host, so a pull pays one 401 rather than one per
   * request. A stale or narrower token gets its 401 and is renewed once, by {@link #authenticate}.
   */
  Interceptor preemptive(String apiHost) {
    return chain -> {
      Request r = chain.request();
      String auth = lastAuthorization;
      if (auth == null || r.header("Authorization") != null || !hostPort(r.url()).equals(apiHost)) {
        return chain.proceed(r);
      }
      return chain.proceed(r.newBuilder().header("Authorization", auth).build());
    };
  }

  /**
   * Whether credentials may go to a token realm (F17): the registry's own host, or Docker Hub's https token service
   * for Docker Hub. Any other realm gets an anonymous token request.
   */
  private boolean realmTrusted(HttpUrl realm) {
    return realmTrusted(registryHost, realm);
  }

  static boolean realmTrusted(String registryHost, HttpUrl realm) {
    String host = hostOnly(registryHost);
    if (realm.host().equals(host)) {
      return true;
    }
    return realm.isHttps() && DOCKER_HUB_HOSTS.contains(host) && realm.host().equals("auth.docker.io");
  }

  private static String hostPort(HttpUrl u) {
    boolean defaultPort = u.port() == HttpUrl.defaultPort(u.scheme());
    return defaultPort ? u.host() : u.host() + ":" + u.port();
  }

  /** Returns a cached or new bearer token for the challenge's scope; never the one the registry just refused. */
  private String token(Challenge c, String refused) throws IOException {
    String realm = c.params().get("realm");
    HttpUrl url = realm == null ? null : HttpUrl.parse(realm);
    if (url == null) {
      throw new RegistryException("The registry " + registryHost + " asked for a token without a valid realm");
    }
    String key = realm + " " + c.params().getOrDefault("scope", "") + " " + c.params().getOrDefault("service", "");
    String cached = tokens.get(key);
    if (cached != null && !"invalid_token".equals(c.params().get("error")) && !("Bearer " + cached).equals(refused)) {
      return cached;
    }
    HttpUrl.Builder b = url.newBuilder();
    if (c.params().containsKey("service")) {
      b.addQueryParameter("service", c.params().get("service"));
    }
    if (c.params().containsKey("scope")) {
      // several scopes (a push with a mount asks for pull on the source too) go as one parameter each, as docker
      // and skopeo send them: token servers read repeated scope parameters, not a space-separated list
      for (String scope : c.params().get("scope").trim().split(" +")) {
        b.addQueryParameter("scope", scope);
      }
    }
    Request.Builder req = new Request.Builder().url(b.build());
    if (credentials.isPresent() && realmTrusted(url)) {
      String creds = credentials.get();
      if (creds.startsWith(IDENTITY_TOKEN + ":")) {
        // an identity (refresh) token, as auth.json's "identitytoken" or a helper's "<token>" user: OAuth2 POST
        FormBody.Builder form = new FormBody.Builder()
            .add("grant_type", "refresh_token")
            .add("refresh_token", creds.substring(IDENTITY_TOKEN.length() + 1))
            .add("client_id", "syscontainers");
        if (c.params().containsKey("service")) {
          form.add("service", c.params().get("service"));
        }
        if (c.params().containsKey("scope")) {
          form.add("scope", c.params().get("scope"));
        }
        req.url(url).post(form.build());
      } else {
        req.header("Authorization", basic(creds));
      }
    }
    try (Response r = tokenClient.newCall(req.build()).execute()) {
      ResponseBody body = r.body();
      if (!r.isSuccessful()) {
        throw new RegistryException(
            "The token service " + url.host() + " refused a token for " + registryHost + " (HTTP " + r.code()
                + "); check the credentials given with --creds or --authfile");
      }
      byte[] bytes = body.byteStream().readNBytes((int) MAX_TOKEN_BODY + 1);
      if (bytes.length > MAX_TOKEN_BODY) {
        throw new RegistryException("The token service " + url.host() + " sent more than " + MAX_TOKEN_BODY + " bytes");
      }
      JsonNode json = JSON.readTree(bytes);
      String token = json.path("token").asText(json.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new RegistryException("The token service " + url.host() + " answered without a token");
      }
      tokens.put(key, token);
      return token;
    }
  }

  private static int priorResponses(Response r) {
    int n = 0;
    while ((r = r.priorResponse()) != null) {
      n++;
    }
    return n;
  }

  static String basic(String creds) {
    return "Basic " + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8));
  }

  private static String hostOnly(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(0, colon) : hostPort;
  }
}
