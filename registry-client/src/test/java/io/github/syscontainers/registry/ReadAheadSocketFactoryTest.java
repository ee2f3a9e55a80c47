package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

/** Read-ahead sockets lose no byte, whoever reads them: the caller, or TLS layered over them. */
class ReadAheadSocketFactoryTest {
  private static final byte[] PAYLOAD = new byte[3 * ReadAheadSocketFactory.READ_AHEAD + 12_345];

  static {
    new Random(7).nextBytes(PAYLOAD);
  }

  /** Writes the payload in pieces of odd sizes, with pauses, so reads see partial buffers. */
  private static void serve(Socket s) throws Exception {
    try (s; OutputStream out = s.getOutputStream()) {
      Random r = new Random(11);
      for (int off = 0; off < PAYLOAD.length; ) {
        int n = Math.min(PAYLOAD.length - off, 1 + r.nextInt(100_000));
        out.write(PAYLOAD, off, n);
        out.flush();
        off += n;
        if (r.nextInt(4) == 0) {
          Thread.sleep(2);
        }
      }
    }
  }

  /** Reads to the end in 8 KiB reads, as Okio does, and after every read asks the socket for its stream again. */
  private static byte[] readAll(Socket s) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[8192];
    InputStream first = s.getInputStream();
    long total = 0;
    for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
      assertThat(s.getInputStream()).isSameAs(first);
      sha.update(buf, 0, n);
      total += n;
    }
    assertThat(total).isEqualTo(PAYLOAD.length);
    return sha.digest();
  }

  @Test
  void aPlainSocketDeliversEveryByteInOrder() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<?> served = pool.submit(() -> {
        serve(server.accept());
        return null;
      });
      try (Socket s =
          new ReadAheadSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        assertThat(readAll(s)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(PAYLOAD));
      }
      served.get();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tlsLayeredOnItLosesNothing() throws Exception {
    HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
    HandshakeCertificates serverCerts = new HandshakeCertificates.Builder().heldCertificate(cert).build();
    HandshakeCertificates clientCerts =
        new HandshakeCertificates.Builder().addTrustedCertificate(cert.certificate()).build();
    SSLContext clientContext = clientCerts.sslContext();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (SSLServerSocket server = (SSLServerSocket)
        serverCerts.sslContext().getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<?> served = pool.submit(() -> {
        serve(server.accept());
        return null;
      });
      Socket raw = new ReadAheadSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      try (SSLSocket tls = (SSLSocket)
          clientContext.getSocketFactory().createSocket(raw, "127.0.0.1", server.getLocalPort(), true)) {
        tls.startHandshake();
        assertThat(readAll(tls)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(PAYLOAD));
      }
      served.get();
    } finally {
      pool.shutdownNow();
    }
  }
}
