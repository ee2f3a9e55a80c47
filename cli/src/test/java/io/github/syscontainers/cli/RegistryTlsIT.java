package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull over TLS from a real docker-registry, through the launcher as users run it (every verb on C1, TLS records
 * decrypted by the Corretto provider's AES-GCM), trusting the registry's authority from the root's certs.d.
 */
class RegistryTlsIT {
  /** What the CLI logs (--debug) when the native AES-GCM is first asked for a cipher, after its self-test. */
  static final String AES_GCM_USED = "AmazonCorrettoCryptoProvider's AES-GCM passed its self-test";

  @TempDir Path tmp;

  @Test
  void pullsOverTlsFromARegistryTrustedThroughCertsD() throws Exception {
    Peers.requireRoot();
    Path ca = tmp.resolve("ca.pem");
    Path caKey = tmp.resolve("ca.key");
    Path cert = tmp.resolve("server.pem");
    Path key = tmp.resolve("server.key");
    String openssl = Peers.require("openssl").toString();
    openssl(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test root",
        "-keyout", caKey.toString(), "-out", ca.toString()));
    Path csr = tmp.resolve("server.csr");
    openssl(List.of(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", key.toString(),
        "-out", csr.toString()));
    Path ext = Files.writeString(tmp.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(List.of(openssl, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", cert.toString()));

    byte[] payload = new byte[8 << 20]; // some hundreds of TLS records
    new Random(11).nextBytes(payload);
    TestImage image = TestImage.builder().layer(LayerBuilder.layer().file("payload", payload, 0644, 0, 0)).build();
    Path root = tmp.resolve("root");
    try (DockerRegistry plain = DockerRegistry.start(tmp.resolve("registry"));
        DockerRegistry tls = plain.startTlsTwin(tmp.resolve("tls-registry"), cert, key)) {
      new RegistryPusher(plain.address()).push("samples/payload", "1", image);
      String ref = tls.address() + "/samples/payload:1";

      Exec.Result untrusted = Launcher.run("pull", "--root", root.toString(), ref);
      assertThat(untrusted.exitCode()).isNotZero();
      assertThat(Launcher.lines(untrusted.stderr())).singleElement().asString()
          .contains("TLS to " + tls.address() + " failed").contains("--tls-verify=false");
      // as the message says: --tls-verify=false reaches it over TLS, not verified (JSSE set up at the connection)
      Exec.Result unverified = Launcher.run("pull", "--tls-verify=false", "--root", tmp.resolve("root2").toString(), ref);
      assertThat(unverified.exitCode()).as(unverified.output()).isZero();
      assertThat(unverified.stdout()).contains("Pulled " + ref);

      Path certsD = Files.createDirectories(root.resolve("etc/containers/certs.d/" + tls.address()));
      Files.copy(ca, certsD.resolve("ca.crt"));
      Path classes = tmp.resolve("tls-classes.log");
      Exec.Result pull = Launcher.run(Map.of("SYSCONTAINERS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
          "--debug", "pull", "--root", root.toString(), ref);
      assertThat(pull.exitCode()).as(pull.output()).isZero();
      assertThat(pull.stdout()).contains("Pulled " + ref);
      // the layer hashed by the native SHA-256, and the TLS records by the native AES-GCM, put first in the JVM's list
      // before the handshake: its self-test runs when JSSE first asks for the cipher
      assertThat(Files.readString(classes)).contains(CryptoOnOpenIT.CORRETTO_SHA256);
      assertThat(pull.output()).contains(AES_GCM_USED);
      // the same image from the same storage in plain HTTP: no TLS, so no cipher asked for
      Exec.Result plainPull = Launcher.run("--debug", "pull", "--tls-verify=false", "--root",
          tmp.resolve("root3").toString(), plain.address() + "/samples/payload:1");
      assertThat(plainPull.exitCode()).as(plainPull.output()).isZero();
      assertThat(plainPull.output()).contains("answers a ClientHello in plain HTTP").doesNotContain(AES_GCM_USED);
      // HTTP/1.1 over TLS too: the client offers no HTTP/2
      assertThat(tls.log()).contains("\"GET /v2/samples/payload/blobs/" + image.layers().get(0).digest() + " HTTP/1.1\" 200 ");

      Path repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo));
      assertThat(fsck.output()).contains("no errors found");
      Exec.Result install = Launcher.run("install", "--system", "--name", "overtls", "--root", root.toString(), ref);
      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(root.resolve("var/lib/containers/atomic/overtls.0/rootfs/payload")).hasBinaryContent(payload);
    }
  }

  private static void openssl(List<String> command) throws Exception {
    Exec.Result r = Exec.run(command);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }
}
