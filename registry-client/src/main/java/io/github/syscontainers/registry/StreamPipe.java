package io.github.syscontainers.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Turns a writer of a stream (a layer's tar being rebuilt, a blob read and verified ahead) into a stream to read,
 * with a thread of its own writing into a few bounded chunks: at most {@code 8 × 256 KiB} in flight, whatever the
 * blob's size. An error of the writer is the reader's error at the point it was reached; a reader that closes early
 * stops the writer.
 *
 * <p>One reader thread.
 */
public final class StreamPipe extends InputStream {
  private static final int CHUNK = 256 << 10;
  private static final byte[] END = new byte[0];

  /** Writes the whole stream to {@code out}. */
  @FunctionalInterface
  public interface Producer {
    void writeTo(OutputStream out) throws IOException;
  }

  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(8);
  private volatile IOException failure;
  private volatile boolean closed;
  private byte[] current = new byte[0];
  private int pos;
  private boolean ended;

  private StreamPipe() {}

  /** Starts {@code producer} on a daemon thread named {@code name}; returns what it writes, to read. */
  public static StreamPipe start(String name, Producer producer) {
    StreamPipe pipe = new StreamPipe();
    Thread t = new Thread(() -> pipe.run(producer), name);
    t.setDaemon(true);
    t.start();
    return pipe;
  }

  private void run(Producer producer) {
    try (OutputStream out = new ChunkOut()) {
      producer.writeTo(out);
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new IOException(e.toString(), e);
    } finally {
      try {
        offer(END);
      } catch (IOException e) {
        // the reader is gone
      }
    }
  }

  private void offer(byte[] chunk) throws IOException {
    try {
      while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
        if (closed) {
          throw new IOException("the reader of the stream stopped");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /** Collects writes into chunks and queues each one full. */
  private final class ChunkOut extends OutputStream {
    private byte[] buf = new byte[CHUNK];
    private int len;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
      while (n > 0) {
        int k = Math.min(n, buf.length - len);
        System.arraycopy(b, off, buf, len, k);
        len += k;
        off += k;
        n -= k;
        if (len == buf.length) {
          flush();
        }
      }
    }

    @Override
    public void flush() throws IOException {
      if (len > 0) {
        byte[] full = len == buf.length ? buf : java.util.Arrays.copyOf(buf, len);
        offer(full);
        buf = new byte[CHUNK];
        len = 0;
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos == current.length) {
      if (ended) {
        return -1;
      }
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
      pos = 0;
      if (current == END) {
        ended = true;
        if (failure != null) {
          throw failure;
        }
        return -1;
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  /**
   * Reads {@code in} ahead on a thread of its own: the reads (and whatever {@code in} does with the bytes, such as
   * verifying their digest) overlap with what the caller does with the bytes read before. Closing the pipe closes
   * {@code in} once its thread stops.
   */
  public static StreamPipe readAhead(String name, InputStream in) {
    return start(name, out -> {
      try (in) {
        in.transferTo(out);
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    queue.clear();
  }
}
