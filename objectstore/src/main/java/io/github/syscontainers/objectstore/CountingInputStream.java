package io.github.syscontainers.objectstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it; closing it leaves the stream it reads open (its caller owns that). One thread
 * reads; the count can be read from any thread (the importer's decompression runs ahead on a thread of its own).
 */
final class CountingInputStream extends FilterInputStream {
  private volatile long count;

  CountingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long s = in.skip(n);
    count += s;
    return s;
  }

  @Override
  public void close() {
    // the caller's stream: left open
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  long count() {
    return count;
  }
}
