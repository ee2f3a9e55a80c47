package io.github.syscontainers.objectstore;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of equal byte arrays, made on first need and reused: file data waiting for a writer sits in them.
 * Reusing them bounds the memory in flight (a taker waits when all are out) and keeps the garbage collector from
 * copying hundreds of megabytes of short-lived buffers through the young generation during an import.
 *
 * <p>Thread-safe.
 */
final class BufferPool {
  private final int size;
  private final int max;
  private final BlockingQueue<byte[]> free;
  private final AtomicInteger made = new AtomicInteger();

  BufferPool(int size, int max) {
    this.size = size;
    this.max = max;
    this.free = new ArrayBlockingQueue<>(max);
  }

  /** The length of every buffer. */
  int size() {
    return size;
  }

  /** Returns a buffer, waiting for one to be given back when all are out. */
  byte[] take() throws InterruptedException {
    byte[] b = free.poll();
    return b != null ? b : (reserve() ? new byte[size] : free.take());
  }

  /** Like {@link #take()}, but gives up after {@code millis} and returns null. */
  byte[] poll(long millis) throws InterruptedException {
    byte[] b = free.poll();
    return b != null ? b : (reserve() ? new byte[size] : free.poll(millis, TimeUnit.MILLISECONDS));
  }

  /**
   * Gives a buffer taken from this pool back. A buffer given back twice would be handed to two takers, and one's
   * file would get the other's bytes: a second give while the first is still in the pool fails here, loudly (the
   * check scans at most a few hundred references, next to the kilobytes each buffer carries).
   */
  void give(byte[] b) {
    if (b.length != size || free.contains(b) || !free.offer(b)) {
      throw new IllegalStateException("a buffer was given back twice, or to a pool it does not belong to");
    }
  }

  private boolean reserve() {
    int n;
    do {
      n = made.get();
      if (n >= max) {
        return false;
      }
    } while (!made.compareAndSet(n, n + 1));
    return true;
  }
}
