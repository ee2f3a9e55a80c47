package io.github.syscontainers.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Tells whether a server speaks TLS without a TLS stack: it sends one plain ClientHello and looks at the first byte
 * of the answer, a TLS record (handshake or alert) or the {@code HTTP/} of a plain HTTP server's 400. Used for an
 * insecure registry ({@code --tls-verify=false}), where HTTPS is tried first and plain HTTP after it, as skopeo does:
 * when the answer is plain HTTP, the HTTPS attempt (a JSSE handshake, ~70 ms of a short command on C1: its classes,
 * key shares, the crypto provider's self-tests) is skipped; anything else leaves the decision to the real attempt.
 */
final class TlsSniff {
  /** What the server answered a ClientHello with. */
  enum Answer {
    TLS,
    HTTP,
    UNKNOWN
  }

  private TlsSniff() {}

  static Answer probe(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      s.connect(new InetSocketAddress(host, port), millis);
      s.setSoTimeout(millis);
      s.getOutputStream().write(clientHello(host));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      int first = in.read();
      if (first == 0x15 || first == 0x16) {
        return Answer.TLS;
      }
      if (first == 'H') {
        byte[] rest = in.readNBytes(4);
        return new String(rest, StandardCharsets.US_ASCII).equals("TTP/") ? Answer.HTTP : Answer.UNKNOWN;
      }
      return Answer.UNKNOWN;
    } catch (IOException | RuntimeException e) {
      return Answer.UNKNOWN;
    }
  }

  /** A TLS 1.2 ClientHello (offering 1.3's suites too), with SNI for a host name. */
  static byte[] clientHello(String host) {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    if (!host.matches("[0-9.]+|.*:.*")) {
      byte[] name = host.getBytes(StandardCharsets.US_ASCII);
      extension(ext, 0x0000, concat(u16(name.length + 3), new byte[] {0}, u16(name.length), name));
    }
    extension(ext, 0x000a, concat(u16(4), u16(0x001d), u16(0x0017)));            // supported groups
    extension(ext, 0x000b, new byte[] {1, 0});                                    // ec point formats
    extension(ext, 0x000d, concat(u16(6), u16(0x0403), u16(0x0804), u16(0x0401))); // signature algorithms
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    byte[] suites = concat(u16(0x1301), u16(0xc02b), u16(0xc02f), u16(0x009c), u16(0x002f));
    byte[] extensions = ext.toByteArray();
    byte[] body = concat(new byte[] {3, 3}, random, new byte[] {0}, u16(suites.length), suites, new byte[] {1, 0},
        u16(extensions.length), extensions);
    byte[] handshake = concat(new byte[] {1, 0, (byte) (body.length >> 8), (byte) body.length}, body);
    return concat(new byte[] {0x16, 3, 1}, u16(handshake.length), handshake);
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    out.writeBytes(u16(type));
    out.writeBytes(u16(data.length));
    out.writeBytes(data);
  }

  private static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
