package io.github.syscontainers.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that builds the real one at its first use: setting up JSSE (the {@code SSLContext},
 * its cipher suites and providers) took about 85 ms of every {@code --tls-verify=false} pull, and a registry that
 * answers in plain HTTP ({@link TlsSniff}) never opens a TLS connection.
 *
 * <p>Thread-safe.
 */
final class LazySslSocketFactory extends SSLSocketFactory {
  private final Supplier<SSLSocketFactory> make;
  private volatile SSLSocketFactory real;

  LazySslSocketFactory(Supplier<SSLSocketFactory> make) {
    this.make = make;
  }

  /** Whether the real factory has been built: for tests. */
  boolean built() {
    return real != null;
  }

  private SSLSocketFactory real() {
    SSLSocketFactory r = real;
    if (r == null) {
      synchronized (this) {
        r = real;
        if (r == null) {
          r = make.get();
          real = r;
        }
      }
    }
    return r;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return real().getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return real().getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return real().createSocket();
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return real().createSocket(s, host, port, autoClose);
  }

  @Override
  public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
    return real().createSocket(s, consumed, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return real().createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return real().createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return real().createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return real().createSocket(address, port, localAddress, localPort);
  }
}
