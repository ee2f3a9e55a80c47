package io.github.syscontainers.registry;

import java.io.IOException;
import java.io.InputStream;

/** An {@link InputStream} that is read in chunks: the single-byte {@link #read()} goes through the array form. */
abstract class ChunkReadingStream extends InputStream {
  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;
}
