package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.model.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLException;

import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an image from a registry over the distribution v2 API: ping to learn the scheme, manifests with every
 * Accept type this client parses, blobs with {@code Accept-Encoding: identity} (so nothing is transparently
 * decompressed) and verified while streaming. Plain HTTP is used only for registries marked insecure
 * ({@code --tls-verify=false}, atomic's {@code http:} prefix, registries.conf), after https failed, as skopeo does.
 * TLS trusts the system's authorities plus those of the registry's certs.d directory, which may also hold a client
 * certificate; proxies come from the environment.
 *
 * <p>Thread-safe.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI distribution spec</a>
 */
public final class RegistrySource implements ImageSource {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrySource.class);
  private static final String ACCEPT =
      String.join(
          ", ",
          MediaType.OCI_MANIFEST,
          MediaType.DOCKER_MANIFEST,
          MediaType.DOCKER_MANIFEST_LIST,
          MediaType.OCI_INDEX,
          MediaType.DOCKER_MANIFEST_V1_SIGNED,
          MediaType.DOCKER_MANIFEST_V1);

  /**
   * How long the https probe of an insecure registry waits for an answer before plain http is tried: a server that
   * speaks only plain HTTP may sit silent on a TLS handshake (a real registry answers it with a 400 at once, some
   * servers wait for a line that never comes), and the read timeout (60 s) would be spent on it.
   */
  private static final Duration INSECURE_TLS_PROBE = Duration.ofSeconds(10);

  private final SourceReference.Registry ref;
  private final ImageReference logical;
  private final OkHttpClient http;
  private final RequestRetrier retrier;
  /** Without authenticator: the ping only learns the scheme and must not fetch a scope-less token. */
  private final OkHttpClient ping;
  private final boolean insecure;
  private final TransferListener listener;
  /** The read timeout of the https probe of an insecure registry: the shorter of the client's and 10 s. */
  private final Duration tlsProbe;
  private volatile String baseUrl;
  /** Whether requests go through a proxy: then no direct connection is made to sniff the registry's port. */
  private final boolean proxied;

  RegistrySource(SourceReference.Registry ref, SourceOptions options) throws RegistryException {
    this(ref, ref.reference(), options);
  }

  /**
   * A source for {@code ref}, which is where the bytes come from (a mirror, a rewritten location) for the image
   * known as {@code logical}: what policies and signatures are about.
   */
  RegistrySource(SourceReference.Registry ref, ImageReference logical, SourceOptions options) throws RegistryException {
    this.ref = ref;
    this.logical = logical;
    this.insecure = ref.insecure() || !options.tlsVerify();
    this.listener = options.listener();
    this.tlsProbe = options.readTimeout().compareTo(INSECURE_TLS_PROBE) < 0 ? options.readTimeout() : INSECURE_TLS_PROBE;
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(30))
            .readTimeout(options.readTimeout())
            // HTTP/1.1 even where TLS would offer HTTP/2: a blob streams straight off its own connection, with no
            // frame reader thread between (bench/pull.sh over TLS, 155 MB: 1.59 s instead of 1.98 s, peak RSS of
            // the pull 98 MB instead of 146 MB), and layers fetched at once each get a connection
            .protocols(java.util.List.of(Protocol.HTTP_1_1))
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            // 64 KiB per read from the kernel instead of Okio's 8 KiB (TLS is layered on the same sockets)
            .socketFactory(new ReadAheadSocketFactory());
    EnvProxies proxies = EnvProxies.from(options.host().env());
    this.proxied = proxies.any();
    if (proxies.any()) {
      b.proxySelector(proxies).proxyAuthenticator(proxies.authenticator());
    }
    if (options.host().certDir().isPresent()) {
      Path dir = options.host().certDir().get();
      if (!java.nio.file.Files.isDirectory(dir)) {
        throw new RegistryException("The certificate directory " + dir + " does not exist; check --cert-dir");
      }
      CertsDir given = CertsDir.load(dir, !insecure);
      b.sslSocketFactory(given.socketFactory(), given.trustManager());
      if (insecure) {
        b.hostnameVerifier((h, s) -> true);
      }
    } else if (insecure) {
      CertsDir any = CertsDir.unverified(options.host().certDirs(), ref.reference().registry());
      b.sslSocketFactory(any.socketFactory(), any.trustManager()).hostnameVerifier((h, s) -> true);
    } else {
      Optional<CertsDir> certs = CertsDir.find(options.host().certDirs(), ref.reference().registry());
      certs.ifPresent(c -> b.sslSocketFactory(c.socketFactory(), c.trustManager()));
    }
    OkHttpClient tokenClient = b.build();
    this.ping = tokenClient;
    RegistryAuthenticator auth =
        new RegistryAuthenticator(ref.reference().registry(), credentials(ref, options), tokenClient);
    this.http = b.authenticator(auth).addInterceptor(auth.preemptive(apiHost())).build();
    this.retrier = new RequestRetrier(http, options.retry(), java.time.Clock.systemUTC(), options.listener());
  }

  /** {@code --creds}, else what the auth files or their credential helpers hold for the registry. */
  private static Optional<String> credentials(SourceReference.Registry ref, SourceOptions options)
      throws RegistryException {
    if (options.credentials().isPresent()) {
      return options.credentials();
    }
    return new CredentialStore(options.authFile(), options.host().env()).lookup(ref.reference());
  }

  private ImageReference reference() {
    return ref.reference();
  }

  /** The client with this registry's TLS, proxies and authentication, for a destination in the same registry. */
  OkHttpClient client() {
    return http;
  }

  RequestRetrier retrier() {
    return retrier;
  }

  /** The scheme and host the registry answered on, learnt by a ping the first time. */
  String baseUrl() throws RegistryException {
    return base();
  }

  private String apiHost() {
    String r = reference().registry();
    return r.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : r;
  }

  private String what() {
    return reference().toString();
  }

  /** Pings {@code /v2/} to pick the scheme: https, or http for an insecure registry that does not speak TLS. */
  private String base() throws RegistryException {
    String b = baseUrl;
    if (b != null) {
      return b;
    }
    String https = "https://" + apiHost();
    long start = System.nanoTime();
    if (insecure && !proxied && speaksPlainHttp()) {
      LOG.debug("{} answers a ClientHello in plain HTTP; not trying https", apiHost());
    } else {
      listener.securing(apiHost());
      try (Response r = pingOnce(https, start, insecure ? tlsProbe : null)) {
        LOG.debug("ping {} -> {}", https, r.code());
        baseUrl = https;
        return https;
      } catch (RegistryException e) {
        if (!insecure) {
          throw e;
        }
        LOG.debug("https ping of {} unanswered ({}); trying http", apiHost(), e.getMessage());
      } catch (SSLException e) {
        if (!insecure) {
          throw new RegistryException(
              "TLS to " + apiHost() + " failed: " + e.getMessage()
                  + ". If this registry is plain HTTP, pass --tls-verify=false (or prefix the image with http:)", e);
        }
      } catch (IOException e) {
        if (!insecure) {
          throw new RegistryException("Cannot reach the registry " + apiHost() + ": " + e.getMessage(), e);
        }
        LOG.debug("https ping of {} failed ({}); trying http", apiHost(), e.toString());
      }
    }
    String http1 = "http://" + apiHost();
    try (Response r = pingOnce(http1, System.nanoTime(), null)) { // a deadline of its own after a silent https
      LOG.debug("ping {} -> {}", http1, r.code());
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException(
          "Cannot reach the registry " + apiHost() + " over https or http: " + e.getMessage()
              + "; check the address and that the registry is running", e);
    }
    baseUrl = http1;
    return http1;
  }

  /** Whether the registry's https port answers a ClientHello in plain HTTP ({@link TlsSniff}). */
  private boolean speaksPlainHttp() {
    String host = apiHost();
    int port = 443;
    int colon = host.lastIndexOf(':');
    if (colon > 0 && !host.endsWith("]")) {
      try {
        port = Integer.parseInt(host.substring(colon + 1));
        host = host.substring(0, colon);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    // a server that speaks either answers at once; one that is silent costs at most 2 s more before the real attempt
    Duration wait = tlsProbe.compareTo(Duration.ofSeconds(2)) < 0 ? tlsProbe : Duration.ofSeconds(2);
    return TlsSniff.probe(host, port, wait) == TlsSniff.Answer.HTTP;
  }

  /**
   * One ping, watched as every request is: a registry that takes the connection and never answers is said.
   *
   * @param readTimeout a shorter read timeout than the client's, or null
   */
  private Response pingOnce(String base, long start, Duration readTimeout) throws IOException {
    OkHttpClient client = readTimeout == null ? ping : ping.newBuilder().readTimeout(readTimeout).build();
    okhttp3.Call call = client.newCall(new Request.Builder().url(base + "/v2/").build());
    try (ResponseWatch watch = new ResponseWatch(call, start, 1, retrier.policy(), listener)) {
      try {
        return call.execute();
      } catch (IOException e) {
        if (watch.expired()) {
          throw new RegistryException(
              "The registry " + apiHost() + " did not answer its API check (/v2/) within "
                  + retrier.policy().deadline().toSeconds() + " s; check that it is up and reachable, or allow longer"
                  + " with --request-timeout", e);
        }
        throw e;
      }
    }
  }

  @Override
  public ResolvedImage resolve(Platform platform, ManifestGate gate) throws RegistryException {
    try {
      return ManifestResolver.resolve(fetcher(), reference().digest(), platform, what(), gate);
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to pull " + what() + " but failed: " + e.getMessage(), e);
    }
  }

  @Override
  public ResolvedImage resolveChild(Descriptor entry) throws RegistryException {
    try {
      return ManifestResolver.child(fetcher(), entry, what());
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to pull the manifest " + entry.digest() + " of " + what() + " but failed: "
          + e.getMessage(), e);
    }
  }

  /** Manifests by reference or digest, blobs and their sizes, from this registry. */
  private ManifestResolver.Fetcher fetcher() {
    return
        new ManifestResolver.Fetcher() {
          @Override
          public ManifestResolver.Fetched fetch(Optional<Descriptor> d) throws IOException {
            return fetchManifest(d.map(x -> x.digest().toString()).orElse(reference().manifestReference()));
          }

          @Override
          public InputStream openBlob(Descriptor d) throws IOException {
            return RegistrySource.this.openBlob(d);
          }

          @Override
          public long blobSize(Digest d) throws IOException {
            return RegistrySource.this.blobSize(d);
          }
        };
  }

  private ManifestResolver.Fetched fetchManifest(String manifestRef) throws RegistryException {
    String url = base() + "/v2/" + reference().repository() + "/manifests/" + manifestRef;
    Request req = new Request.Builder().url(url).header("Accept", ACCEPT).header("Accept-Encoding", "identity").build();
    try (Response r = retrier.execute(req)) {
      if (!r.isSuccessful()) {
        throw RegistryErrors.of(r, "pull the manifest of " + what());
      }
      ResponseBody body = r.body();
      if (body.contentLength() > ManifestResolver.MAX_MANIFEST) {
        throw new RegistryException("The manifest of " + what() + " is over the 4 MiB limit");
      }
      byte[] bytes = body.byteStream().readNBytes((int) ManifestResolver.MAX_MANIFEST + 1);
      if (bytes.length > ManifestResolver.MAX_MANIFEST) {
        throw new RegistryException("The manifest of " + what() + " is over the 4 MiB limit");
      }
      warnOnDigestHeader(r.header("Docker-Content-Digest"), bytes, manifestRef);
      return new ManifestResolver.Fetched(bytes, Optional.ofNullable(r.header("Content-Type")).orElse(""));
    } catch (IOException e) {
      throw e instanceof RegistryException
          ? (RegistryException) e
          : new RegistryException("Tried to pull the manifest of " + what() + " but failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<List<Descriptor>> sigstoreAttachments(Digest digest) throws RegistryException {
    String tag = ImageSource.sigstoreTag(digest);
    String what = "the sigstore attachments " + reference().registry() + "/" + reference().repository() + ":" + tag;
    String url = base() + "/v2/" + reference().repository() + "/manifests/" + tag;
    Request req = new Request.Builder().url(url).header("Accept", MediaType.OCI_MANIFEST)
        .header("Accept-Encoding", "identity").build();
    try (Response r = retrier.execute(req)) {
      if (r.code() == 404) {
        return Optional.empty();
      }
      if (!r.isSuccessful()) {
        throw RegistryErrors.of(r, "read " + what);
      }
      byte[] bytes = r.body().byteStream().readNBytes((int) ManifestResolver.MAX_MANIFEST + 1);
      return Optional.of(Attachments.layers(bytes, r.header("Content-Type", ""), what));
    } catch (IOException e) {
      throw e instanceof RegistryException
          ? (RegistryException) e
          : new RegistryException("Tried to read " + what + " but failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<SigstoreBundleBlob> sigstoreBundles(Digest digest) throws RegistryException {
    String repo = reference().registry() + "/" + reference().repository();
    return Referrers.bundles(new Referrers.Store() {
      @Override
      public Optional<byte[]> index(Digest d) throws RegistryException {
        Optional<byte[]> api = smallGet("/referrers/" + d + "?artifactType="
            + java.net.URLEncoder.encode(Referrers.BUNDLE_TYPE, java.nio.charset.StandardCharsets.UTF_8),
            MediaType.OCI_INDEX, "the referrers of " + d + " in " + repo);
        return api.isPresent() ? api : smallGet("/manifests/" + Referrers.fallbackTag(d), MediaType.OCI_INDEX,
            "the referrers tag " + Referrers.fallbackTag(d) + " of " + repo);
      }

      @Override
      public byte[] manifest(Descriptor d) throws RegistryException {
        byte[] bytes = smallGet("/manifests/" + d.digest(), MediaType.OCI_MANIFEST, "the manifest " + d.digest()
            + " of " + repo).orElseThrow(() -> new RegistryException("The bundle manifest " + d.digest() + " listed"
                + " for " + digest + " is not in " + repo));
        if (!d.digest().matches(d.digest().newMessageDigest().digest(bytes))) {
          throw new RegistryException("The manifest " + d.digest() + " of " + repo + " does not match its digest");
        }
        return bytes;
      }

      @Override
      public byte[] blob(Descriptor d, int max, String what) throws RegistryException {
        return readSmallBlob(d, max, what);
      }
    }, digest, repo);
  }

  /** A GET below the repository of at most 4 MiB; empty on 404 (and on 400, 405: a registry without the API). */
  private Optional<byte[]> smallGet(String path, String accept, String what) throws RegistryException {
    Request req = new Request.Builder().url(base() + "/v2/" + reference().repository() + path)
        .header("Accept", accept).header("Accept-Encoding", "identity").build();
    try (Response r = retrier.execute(req)) {
      if (r.code() == 404 || r.code() == 400 || r.code() == 405) {
        return Optional.empty();
      }
      if (!r.isSuccessful()) {
        throw RegistryErrors.of(r, "read " + what);
      }
      if (r.body().contentLength() > ManifestResolver.MAX_MANIFEST) {
        throw new RegistryException(what + " is over the 4 MiB limit; not read");
      }
      byte[] bytes = r.body().byteStream().readNBytes((int) ManifestResolver.MAX_MANIFEST + 1);
      if (bytes.length > ManifestResolver.MAX_MANIFEST) {
        throw new RegistryException(what + " is over the 4 MiB limit");
      }
      return Optional.of(bytes);
    } catch (IOException e) {
      throw e instanceof RegistryException
          ? (RegistryException) e
          : new RegistryException("Tried to read " + what + " but failed: " + e.getMessage(), e);
    }
  }

  /** A {@code HEAD} of the manifest: its {@code Docker-Content-Digest}, with no body transferred. */
  @Override
  public Optional<Digest> peekDigest() throws RegistryException {
    if (reference().digest().isPresent()) {
      return reference().digest();
    }
    String url = base() + "/v2/" + reference().repository() + "/manifests/" + reference().manifestReference();
    Request req = new Request.Builder().url(url).head().header("Accept", ACCEPT).build();
    try (Response r = retrier.execute(req)) {
      return r.isSuccessful() ? Optional.ofNullable(r.header("Docker-Content-Digest")).flatMap(Digest::tryParse)
          : Optional.empty();
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      // every attempt of the HEAD failed on the network: a GET of the same manifest would wait as long again
      throw new RegistryException(
          "Tried to look up the manifest of " + what() + " but " + apiHost() + " did not answer: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the manifest this reference names from the registry, as {@code skopeo delete} does: a tag is first
   * resolved to its digest with a {@code HEAD}, then {@code DELETE /v2/NAME/manifests/DIGEST}. The registry
   * removes every tag that points at that manifest. Returns the digest deleted.
   */
  Digest deleteManifest() throws RegistryException {
    String manifests = base() + "/v2/" + reference().repository() + "/manifests/";
    Digest digest;
    if (reference().digest().isPresent()) {
      digest = reference().digest().get();
    } else {
      Request head = new Request.Builder().url(manifests + reference().manifestReference()).head()
          .header("Accept", ACCEPT).build();
      try (Response r = retrier.execute(head)) {
        if (!r.isSuccessful()) {
          throw RegistryErrors.of(r, "look up the manifest of " + what() + " to delete it");
        }
        digest = Optional.ofNullable(r.header("Docker-Content-Digest")).flatMap(Digest::tryParse)
            .orElseThrow(() -> new RegistryException(
                "The registry " + apiHost() + " gave no Docker-Content-Digest for " + what()
                    + "; delete it by digest (NAME@sha256:…)"));
      } catch (RegistryException e) {
        throw e;
      } catch (IOException e) {
        throw new RegistryException("Tried to look up " + what() + " to delete it but failed: " + e.getMessage(), e);
      }
    }
    try (Response r = retrier.execute(new Request.Builder().url(manifests + digest).delete().build())) {
      if (!r.isSuccessful()) {
        throw RegistryErrors.of(r, "delete the manifest " + digest + " of " + what());
      }
      return digest;
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to delete " + what() + " but failed: " + e.getMessage(), e);
    }
  }

  /** A {@code HEAD} of a blob: its {@code Content-Length}, for schema 1 manifests, which give no sizes. */
  private long blobSize(Digest d) throws RegistryException {
    String url = base() + "/v2/" + reference().repository() + "/blobs/" + d;
    Request req = new Request.Builder().url(url).head().header("Accept-Encoding", "identity").build();
    try (Response r = retrier.execute(req)) {
      if (!r.isSuccessful()) {
        throw RegistryErrors.of(r, "look up the size of blob " + d + " of " + what());
      }
      String length = r.header("Content-Length", "");
      try {
        long size = Long.parseLong(length);
        if (size >= 0) {
          return size;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new RegistryException(
          "The registry " + apiHost() + " gave no size for blob " + d + " of " + what() + " (Content-Length '"
              + length + "'); schema 1 images need one, push the image again with a current tool");
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException(
          "Tried to look up the size of blob " + d + " of " + what() + " but failed: " + e.getMessage(), e);
    }
  }

  /** F9: the digest computed from the bytes is the one used; a header that disagrees is only worth a warning. */
  private void warnOnDigestHeader(String header, byte[] bytes, String manifestRef) throws RegistryException {
    Optional<Digest> claimed = Optional.ofNullable(header).flatMap(Digest::tryParse);
    if (claimed.isPresent()
        && !claimed.get().matches(claimed.get().newMessageDigest().digest(ManifestParser.digestedBytes(bytes)))) {
      LOG.warn(
          "The registry {} says the manifest {} of {} has digest {}, but its bytes do not; using the bytes' digest",
          apiHost(), manifestRef, reference().repository(), claimed.get());
    }
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws RegistryException {
    return new VerifyingInputStream(openRaw(blob, 0), blob, what());
  }

  @Override
  public boolean resumesBlobs() {
    return true;
  }

  @Override
  public InputStream openBlobFrom(Descriptor blob, long offset) throws RegistryException {
    return openRaw(blob, offset);
  }

  @Override
  public boolean servesRanges() {
    return true;
  }

  @Override
  public long fetchRanges(Descriptor blob, java.util.List<ByteRange> ranges, RangeReceiver receiver,
      boolean wholeTaken) throws IOException {
    String url = base() + "/v2/" + reference().repository() + "/blobs/" + blob.digest();
    BlobRangeFetcher f = new BlobRangeFetcher(range -> retrier.execute(new Request.Builder().url(url)
        .header("Accept-Encoding", "identity").header("Range", range).build()), blob, what(), wholeTaken);
    f.fetch(ranges, receiver);
    return f.received();
  }

  /** Opens a blob's bytes from {@code offset} on, resumable but not verified: the caller verifies the whole. */
  ResumableBlobStream openRaw(Descriptor blob, long offset) throws RegistryException {
    Digest d = blob.digest();
    try {
      return ResumableBlobStream.openAt(o -> requestBlob(d, o), blob, what(), retrier.policy(), listener, offset);
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to fetch blob " + d + " of " + what() + " but failed: " + e.getMessage(), e);
    }
  }

  /** Names this registry in messages. */
  String label() {
    return apiHost();
  }

  /** GETs a blob, from {@code offset} on with a {@code Range} header when it is not 0. */
  private Response requestBlob(Digest d, long offset) throws IOException {
    String url = base() + "/v2/" + reference().repository() + "/blobs/" + d;
    Request.Builder req = new Request.Builder().url(url).header("Accept-Encoding", "identity");
    if (offset > 0) {
      req.header("Range", "bytes=" + offset + "-");
    }
    return retrier.execute(req.build());
  }

  @Override
  public Optional<ImageReference> servedReference() {
    return Optional.of(logical);
  }

  @Override
  public String imageName() {
    String text = ref.userText();
    int slash = text.lastIndexOf('/');
    boolean hasTag = text.lastIndexOf(':') > slash;
    return hasTag || text.contains("@") ? text : text + ":latest";
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
