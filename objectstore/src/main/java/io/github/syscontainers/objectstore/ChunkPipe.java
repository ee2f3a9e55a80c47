package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands a large file from the thread that decompresses the layer to the writer that stores it, in chunks held in
 * buffers of a shared {@link BufferPool}, which bounds the memory in flight. The writer reads it as an
 * {@link InputStream} and gives each buffer back once read; if the writer fails, {@link #abort} gives back what is
 * queued and the producer's next {@link #fill} fails instead of blocking.
 *
 * <p>One producer thread and one consumer thread. The chunk being read ({@code current}) is the consumer's alone:
 * the producer never touches it, so no buffer can be given back twice and end up in two files.
 */
final class ChunkPipe extends InputStream {
  private static final Chunk END = new Chunk(new byte[0], 0);

  private record Chunk(byte[] buffer, int length) {}

  private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
  private final BufferPool pool;
  private volatile boolean aborted;
  private Chunk current = new Chunk(new byte[0], 0);
  private int pos;

  ChunkPipe(BufferPool pool) {
    this.pool = pool;
  }

  /**
   * Reads up to a buffer's worth (at most {@code max} bytes) from {@code in} into a pooled buffer and queues it.
   *
   * @return the bytes queued, or -1 at the end of {@code in}
   * @throws IOException when reading fails, or the consumer has stopped
   */
  int fill(InputStream in, long max) throws IOException, InterruptedException {
    byte[] b;
    while ((b = pool.poll(100)) == null) {
      if (aborted) {
        throw new IOException("the writer of this file stopped");
      }
    }
    int n;
    try {
      n = in.readNBytes(b, 0, (int) Math.min(b.length, max));
    } catch (IOException | RuntimeException e) {
      pool.give(b);
      throw e;
    }
    if (n == 0 || aborted) {
      pool.give(b);
      if (aborted) {
        throw new IOException("the writer of this file stopped");
      }
      return -1;
    }
    queue.put(new Chunk(b, n));
    if (aborted) {
      // the consumer stopped (done or failed; its result says which) and may have emptied the queue before this
      // chunk arrived: give back what is queued (never the consumer's current chunk, which its abort gives back)
      giveBackQueued();
    }
    return n;
  }

  /** Marks the end of the file. */
  void finish() throws InterruptedException {
    queue.put(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (pos == current.length()) {
      if (current == END) {
        return -1;
      }
      if (current.length() > 0) {
        pool.give(current.buffer());
      }
      current = END;
      try {
        current = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for layer data");
      }
      pos = 0;
      if (current == END) {
        return -1;
      }
    }
    int n = Math.min(len, current.length() - pos);
    System.arraycopy(current.buffer(), pos, b, off, n);
    pos += n;
    return n;
  }

  /** Stops the pipe: gives back every buffer not consumed. Called by the consumer, once, when it is done. */
  void abort() {
    aborted = true;
    if (current != END && current.length() > 0) {
      pool.give(current.buffer());
    }
    current = END;
    giveBackQueued();
  }

  /** Gives back the buffers of the queued chunks; safe from both threads (each chunk is polled once). */
  private void giveBackQueued() {
    Chunk c;
    while ((c = queue.poll()) != null) {
      if (c != END) {
        pool.give(c.buffer());
      }
    }
  }
}
