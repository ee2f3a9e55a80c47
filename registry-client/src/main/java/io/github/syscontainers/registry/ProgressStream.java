package io.github.syscontainers.registry;

import io.github.syscontainers.model.TransferEvent;
import io.github.syscontainers.model.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports how many bytes of a blob have been read, at most every 512 KiB, to a {@link TransferListener}. */
public final class ProgressStream extends FilterInputStream {
  private static final long STEP = 512 << 10;

  private final Descriptor blob;
  private final TransferListener listener;
  private long count;
  private long reported;

  public ProgressStream(InputStream in, Descriptor blob, TransferListener listener) {
    super(in);
    this.blob = blob;
    this.listener = listener;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  private void advance(int n) {
    count += n;
    if (count - reported >= STEP || count == blob.size()) {
      reported = count;
      listener.on(new TransferEvent.Progress(blob, count));
    }
  }
}
