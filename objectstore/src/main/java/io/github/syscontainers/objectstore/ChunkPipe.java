package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Hands a large file from the thread that decompresses the layer to the writer that stores it, in chunks, with the
 * memory in flight bounded by a shared budget (permits are kilobytes). The writer reads it as an
 * {@link InputStream}; if the writer fails, {@link #abort} releases what is queued and the producer's next push
 * fails instead of blocking.
 *
 * <p>One producer thread and one consumer thread.
 */
final class ChunkPipe extends InputStream {
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final Semaphore budget;
  private volatile boolean aborted;
  private byte[] current = new byte[0];
  private int pos;

  ChunkPipe(Semaphore budget) {
    this.budget = budget;
  }

  static int permits(int bytes) {
    return Math.max(1, bytes >> 10);
  }

  /** Queues a chunk, waiting for memory; fails once the consumer has aborted. */
  void push(byte[] chunk) throws IOException, InterruptedException {
    int p = permits(chunk.length);
    while (!budget.tryAcquire(p, 100, TimeUnit.MILLISECONDS)) {
      if (aborted) {
        throw new IOException("the writer of this file stopped");
      }
    }
    if (aborted) {
      budget.release(p);
      throw new IOException("the writer of this file stopped");
    }
    queue.put(chunk);
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
    if (pos == current.length) {
      if (current == END) {
        return -1;
      }
      if (current.length > 0) {
        budget.release(permits(current.length));
      }
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
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Stops the pipe: releases the memory of every chunk not consumed. Called by the consumer when it is done. */
  void abort() {
    aborted = true;
    if (current != END && current.length > 0) {
      budget.release(permits(current.length));
    }
    current = END;
    byte[] c;
    while ((c = queue.poll()) != null) {
      if (c != END) {
        budget.release(permits(c.length));
      }
    }
  }
}
