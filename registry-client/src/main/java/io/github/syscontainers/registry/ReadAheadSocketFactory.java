package io.github.syscontainers.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Makes sockets that read from the kernel up to {@value #READ_AHEAD} bytes at a time. OkHttp reads a response body
 * into 8 KiB Okio segments, one {@code read} call each: the bench's 155 MB blob took 19,916 reads of 8 KiB (strace),
 * and the kernel sent TCP acknowledgements from within many of them. Through this buffer it takes 2,420 reads of
 * 64 KiB; the bytes are copied once more, in user space. The thread that reads the blob spent 277 ms of CPU instead
 * of 407 ms (cpu profiles of bench FetchBlobs), and the registry's log gave the transfer ~350 ms instead of ~400 ms
 * (10 alternating runs each).
 *
 * <p>The buffer belongs to the socket and every reader of it (OkHttp's connection, or the TLS socket layered on it)
 * reads through {@link Socket#getInputStream()}, so no byte is read past and lost.
 */
final class ReadAheadSocketFactory extends SocketFactory {
  static final int READ_AHEAD = 64 << 10;

  @Override
  public Socket createSocket() {
    return new ReadAheadSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
  }

  private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
    Socket s = createSocket();
    try {
      if (local != null) {
        s.bind(local);
      }
      s.connect(remote);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** A plain socket whose input stream reads ahead. */
  private static final class ReadAheadSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new BufferedInputStream(super.getInputStream(), READ_AHEAD);
      }
      return in;
    }
  }
}
