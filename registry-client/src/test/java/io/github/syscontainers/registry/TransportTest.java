package io.github.syscontainers.registry;

import io.github.syscontainers.fixtures.FakeRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with certs.d authorities and client certificates, and proxies from the environment. */
class TransportTest {
  static final TestImage IMAGE = TestImage.builder().layer(LayerBuilder.layer().file("a", "x", 0644)).build();

  @TempDir Path tmp;

  static final HeldCertificate ROOT =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("test root").build();
  static final HeldCertificate SERVER =
      new HeldCertificate.Builder().signedBy(ROOT).addSubjectAlternativeName("127.0.0.1")
          .addSubjectAlternativeName("localhost").build();
  static final HeldCertificate CLIENT_ROOT =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("client root").build();
  static final HeldCertificate CLIENT = new HeldCertificate.Builder().signedBy(CLIENT_ROOT).commonName("me").build();

  private static ResolvedImage resolve(String ref, SourceOptions options) throws Exception {
    try (ImageSource src = ImageSource.open(SourceReference.parse(ref), options)) {
      return src.resolve(Platform.parse("linux/amd64"));
    }
  }

  private Path certsD(FakeRegistry reg) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("certs.d/127.0.0.1:" + reg.server.getPort()));
    Files.writeString(dir.resolve("ca.crt"), ROOT.certificatePem());
    return dir;
  }

  @Test
  void aCertDirGivenForTheCommandServesEveryRegistry() throws Exception {
    HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(SERVER, ROOT.certificate()).build();
    try (FakeRegistry reg = new FakeRegistry(IMAGE, s -> s.useHttps(server.sslSocketFactory()))) {
      Path dir = Files.createDirectories(tmp.resolve("cert-dir"));
      Files.writeString(dir.resolve("ca.crt"), ROOT.certificatePem());
      SourceOptions none = SourceOptions.DEFAULT.withHost(HostConfig.DEFAULT.withCertDirs(List.of(tmp.resolve("x"))));
      assertThatThrownBy(() -> resolve(reg.ref(), none)).isInstanceOf(RegistryException.class)
          .hasMessageContaining("TLS to 127.0.0.1");
      SourceOptions given = SourceOptions.DEFAULT.withHost(HostConfig.DEFAULT.withCertDir(dir));
      assertThat(resolve(reg.ref(), given).manifestDigest().toString()).isEqualTo(IMAGE.manifest().digest());
      SourceOptions missing = SourceOptions.DEFAULT.withHost(HostConfig.DEFAULT.withCertDir(tmp.resolve("nope")));
      assertThatThrownBy(() -> resolve(reg.ref(), missing)).isInstanceOf(RegistryException.class)
          .hasMessageContaining("does not exist; check --cert-dir");
    }
  }

  @Test
  void aRegistrySignedByACertsDAuthorityIsTrustedAndOthersAreNot() throws Exception {
    HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(SERVER, ROOT.certificate()).build();
    try (FakeRegistry reg = new FakeRegistry(IMAGE, s -> s.useHttps(server.sslSocketFactory()))) {
      SourceOptions plain = SourceOptions.DEFAULT.withHost(HostConfig.DEFAULT.withCertDirs(List.of(tmp.resolve("certs.d"))));
      assertThatThrownBy(() -> resolve(reg.ref(), plain))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("TLS to 127.0.0.1:" + reg.server.getPort() + " failed")
          .hasMessageContaining("--tls-verify=false");
      certsD(reg);
      assertThat(resolve(reg.ref(), plain).manifestDigest().toString()).isEqualTo(IMAGE.manifest().digest());
    }
  }

  @Test
  void aClientCertificateFromCertsDIsPresentedWhenTheRegistryRequiresOne() throws Exception {
    HandshakeCertificates server = new HandshakeCertificates.Builder()
        .heldCertificate(SERVER, ROOT.certificate())
        .addTrustedCertificate(CLIENT_ROOT.certificate())
        .build();
    try (FakeRegistry reg = new FakeRegistry(IMAGE, s -> {
          s.useHttps(server.sslSocketFactory());
          s.requireClientAuth();
        })) {
      Path dir = certsD(reg);
      SourceOptions options = SourceOptions.DEFAULT.withHost(HostConfig.DEFAULT.withCertDirs(List.of(tmp.resolve("certs.d"))));
      assertThatThrownBy(() -> resolve(reg.ref(), options)).isInstanceOf(RegistryException.class);
      Files.writeString(dir.resolve("client.cert"), CLIENT.certificatePem() + CLIENT_ROOT.certificatePem());
      assertThatThrownBy(() -> resolve(reg.ref(), options)).hasMessageContaining("has no key client.key beside it");
      Files.writeString(dir.resolve("client.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
      assertThatThrownBy(() -> resolve(reg.ref(), options)).hasMessageContaining("openssl pkcs8 -topk8");
      Files.writeString(dir.resolve("client.key"), CLIENT.privateKeyPkcs8Pem());
      assertThat(resolve(reg.ref(), options).manifestDigest().toString()).isEqualTo(IMAGE.manifest().digest());
    }
  }

  /**
   * The listener hears of a TLS connection before its handshake, once (the CLI puts its native AES-GCM in place
   * then). A registry that answers a ClientHello in plain HTTP, as docker-registry does, is not announced
   * ({@link TlsSniff}); MockWebServer does not answer one, so it is tried over TLS first and announced.
   */
  @Test
  void aTlsConnectionIsAnnouncedBeforeItsHandshake() throws Exception {
    List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    TransferListener listener = new TransferListener() {
      @Override
      public void on(io.github.syscontainers.model.TransferEvent event) {}

      @Override
      public void securing(String host) {
        said.add(host);
      }
    };
    HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(SERVER, ROOT.certificate()).build();
    try (FakeRegistry reg = new FakeRegistry(IMAGE, s -> s.useHttps(server.sslSocketFactory()))) {
      certsD(reg);
      SourceOptions options = SourceOptions.DEFAULT.withListener(listener)
          .withHost(HostConfig.DEFAULT.withCertDirs(List.of(tmp.resolve("certs.d"))));
      assertThat(resolve(reg.ref(), options).manifestDigest().toString()).isEqualTo(IMAGE.manifest().digest());
      assertThat(said).containsExactly("127.0.0.1:" + reg.server.getPort());
    }
  }

  @Test
  void withoutVerificationAnyServerIsAcceptedAndTheClientCertificateIsStillPresented() throws Exception {
    HeldCertificate stranger = new HeldCertificate.Builder().commonName("self-signed").build();
    HandshakeCertificates server = new HandshakeCertificates.Builder()
        .heldCertificate(stranger)
        .addTrustedCertificate(CLIENT_ROOT.certificate())
        .build();
    try (FakeRegistry reg = new FakeRegistry(IMAGE, s -> {
          s.useHttps(server.sslSocketFactory());
          s.requireClientAuth();
        })) {
      SourceOptions unverified =
          SourceOptions.DEFAULT.withTlsVerify(false).withHost(HostConfig.DEFAULT.withCertDirs(List.of(tmp.resolve("certs.d"))));
      assertThatThrownBy(() -> resolve(reg.ref(), unverified)).isInstanceOf(RegistryException.class);
      Path dir = Files.createDirectories(tmp.resolve("certs.d/127.0.0.1:" + reg.server.getPort()));
      Files.writeString(dir.resolve("client.cert"), CLIENT.certificatePem() + CLIENT_ROOT.certificatePem());
      Files.writeString(dir.resolve("client.key"), CLIENT.privateKeyPkcs8Pem());
      assertThat(resolve(reg.ref(), unverified).manifestDigest().toString()).isEqualTo(IMAGE.manifest().digest());
      // verification on: the self-signed server is refused even with the client certificate in place
      SourceOptions verified = unverified.withTlsVerify(true);
      assertThatThrownBy(() -> resolve(reg.ref(), verified)).hasMessageContaining("--tls-verify=false");
      assertThat(reg.requests).allMatch(r -> r.getHandshake() != null && !r.getHandshake().peerCertificates().isEmpty());
    }
  }

  @Test
  void proxiesFromTheEnvironmentAreUsedWithTheirCredentials() throws Exception {
    try (FakeRegistry proxy = new FakeRegistry(IMAGE)) {
      proxy.always(r -> {
        if (r.getMethod().equals("CONNECT")) {
          return new MockResponse.Builder().code(403).build(); // no https through this proxy: http is tried next
        }
        if (r.getHeaders().get("Proxy-Authorization") == null) {
          return new MockResponse.Builder().code(407).setHeader("Proxy-Authenticate", "Basic realm=\"proxy\"").build();
        }
        return null;
      });
      Map<String, String> env = Map.of("HTTP_PROXY", "http://u:p@127.0.0.1:" + proxy.server.getPort(),
          "https_proxy", "http://u:p@127.0.0.1:" + proxy.server.getPort(), "HOME", tmp.toString());
      SourceOptions options = SourceOptions.DEFAULT.withTlsVerify(false).withHost(HostConfig.DEFAULT.withEnv(env));
      ResolvedImage r = resolve("registry.invalid:5000/img:1", options);
      assertThat(r.manifestDigest().toString()).isEqualTo(IMAGE.manifest().digest());
      RecordedRequest manifest = proxy.requestsFor(proxy.manifestPath()).get(1);
      assertThat(manifest.getUrl().host()).isEqualTo("registry.invalid");
      assertThat(manifest.getHeaders().get("Proxy-Authorization")).isEqualTo(okhttp3.Credentials.basic("u", "p"));
    }
  }

  @Test
  void noProxyFollowsGosRules() throws Exception {
    EnvProxies p = EnvProxies.from(Map.of("HTTPS_PROXY", "proxy.example:3128",
        "NO_PROXY", "internal.example, .corp.example,registry.example:5000"));
    assertThat(p.bypass("localhost", 443)).isTrue();
    assertThat(p.bypass("127.0.0.1", 5000)).isTrue();
    assertThat(p.bypass("internal.example", 443)).isTrue();
    assertThat(p.bypass("a.internal.example", 443)).isTrue();
    assertThat(p.bypass("corp.example", 443)).isTrue();
    assertThat(p.bypass("x.corp.example", 443)).isTrue();
    assertThat(p.bypass("registry.example", 5000)).isTrue();
    assertThat(p.bypass("registry.example", 443)).isFalse();
    assertThat(p.bypass("quay.io", 443)).isFalse();
    assertThat(p.bypass("notinternal.example", 443)).isFalse();
    assertThat(EnvProxies.from(Map.of("HTTP_PROXY", "x", "NO_PROXY", "*")).bypass("quay.io", 80)).isTrue();
    assertThatThrownBy(() -> EnvProxies.from(Map.of("HTTPS_PROXY", "http://[bad")))
        .hasMessageContaining("HTTPS_PROXY=http://[bad is not a URL");
  }
}
