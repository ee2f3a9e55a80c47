package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.FakeRegistry;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Platform;
import java.net.ServerSocket;
import java.time.Duration;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

/**
 * The ClientHello sniff that lets an insecure registry skip the HTTPS attempt: a TLS server (OkHttp's, JSSE) answers
 * it as TLS, a plain HTTP server as HTTP, and a port that says nothing useful is unknown (the real attempt decides).
 */
class TlsSniffTest {
  static final TestImage IMAGE = TestImage.builder().layer(LayerBuilder.layer().file("a", "a\n", 0644)).build();
  static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void aTlsServerIsTlsAPlainOneIsHttpAndSilenceIsUnknown() throws Exception {
    HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
    HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(cert).build();
    try (FakeRegistry tls = new FakeRegistry(IMAGE, s -> s.useHttps(server.sslSocketFactory()));
        FakeRegistry plain = new FakeRegistry(IMAGE)) {
      assertThat(TlsSniff.probe("127.0.0.1", tls.server.getPort(), SECOND)).isEqualTo(TlsSniff.Answer.TLS);
      // MockWebServer drops a connection that does not start with a request line: not TLS, and not known HTTP
      assertThat(TlsSniff.probe("127.0.0.1", plain.server.getPort(), SECOND)).isEqualTo(TlsSniff.Answer.UNKNOWN);
      // an insecure pull from the plain one still works, and from the TLS one goes over TLS
      SourceOptions insecure = SourceOptions.DEFAULT.withTlsVerify(false);
      try (ImageSource src = ImageSource.open(SourceReference.parse(plain.ref()), insecure)) {
        assertThat(src.resolve(Platform.parse("linux/amd64")).manifestDigest().toString())
            .isEqualTo(IMAGE.manifest().digest());
      }
      try (ImageSource src = ImageSource.open(SourceReference.parse(tls.ref()), insecure)) {
        assertThat(src.resolve(Platform.parse("linux/amd64")).manifestDigest().toString())
            .isEqualTo(IMAGE.manifest().digest());
      }
      assertThat(tls.server.getRequestCount()).isPositive();
    }
    // a Go server (docker-registry's) answers the ClientHello with a plain HTTP 400
    try (ServerSocket go = new ServerSocket(0)) {
      Thread t = new Thread(() -> {
        try (java.net.Socket c = go.accept()) {
          c.getInputStream().read(new byte[512]);
          c.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n400 Bad Request"
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
          // the probe's end
        }
      });
      t.start();
      assertThat(TlsSniff.probe("127.0.0.1", go.getLocalPort(), SECOND)).isEqualTo(TlsSniff.Answer.HTTP);
      t.join(5000);
    }
    try (ServerSocket silent = new ServerSocket(0)) {
      assertThat(TlsSniff.probe("127.0.0.1", silent.getLocalPort(), Duration.ofMillis(200)))
          .isEqualTo(TlsSniff.Answer.UNKNOWN);
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThat(TlsSniff.probe("127.0.0.1", closed, SECOND)).isEqualTo(TlsSniff.Answer.UNKNOWN);
  }

  @Test
  void aRealDockerRegistryAnswersPlainHttp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    try (io.github.syscontainers.fixtures.DockerRegistry registry =
        io.github.syscontainers.fixtures.DockerRegistry.start(tmp.resolve("reg"))) {
      String[] hostPort = registry.address().split(":");
      assertThat(TlsSniff.probe(hostPort[0], Integer.parseInt(hostPort[1]), SECOND)).isEqualTo(TlsSniff.Answer.HTTP);
    }
  }

  @Test
  void theClientHelloCarriesTheHostNameOnlyForNames() {
    assertThat(new String(TlsSniff.clientHello("registry.example.com"), java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("registry.example.com");
    byte[] ip = TlsSniff.clientHello("127.0.0.1");
    assertThat(ip[0]).isEqualTo((byte) 0x16);
    assertThat(((ip[3] & 0xFF) << 8 | (ip[4] & 0xFF))).isEqualTo(ip.length - 5);
  }
}
