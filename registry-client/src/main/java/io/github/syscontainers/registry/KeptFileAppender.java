package io.github.syscontainers.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Appends the bytes of a blob being fetched to its kept file ({@link PartialBlobs}) on a thread of its own, in
 * order, so the thread that reads the blob (and feeds the import) does not wait for the page cache: a pull of the
 * bench's 155 MB layer spent 0.6 s of that thread's time in these writes, on its critical path. At most
 * {@value #IN_FLIGHT} chunks of {@value #CHUNK} bytes wait to be written; the reader waits when they all do. A
 * chunk that is not full goes when it has waited half a second, so a slow body is kept as it trickles in. The
 * file only ever holds a prefix of the blob. A write that fails is reported by the next {@link #append} or by
 * {@link #close}.
 *
 * <p>For one reading thread.
 */
final class KeptFileAppender implements AutoCloseable {
  private static final int CHUNK = 256 << 10;
  private static final int IN_FLIGHT = 4;
  private static final ByteBuffer END = ByteBuffer.allocate(0);
  private static final long FLUSH_AFTER_NANOS = 500_000_000L;

  private final FileChannel channel;
  private final Path file;
  private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
  private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(IN_FLIGHT);
  private final Thread writer;
  private int allocated;
  private ByteBuffer current;
  private volatile IOException failure;
  private boolean closed;
  private long lastSubmit = System.nanoTime();

  KeptFileAppender(FileChannel channel, Path file) {
    this.channel = channel;
    this.file = file;
    this.writer = new Thread(this::drain, "blob-keeper");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues {@code len} bytes of {@code b} for the file. */
  void append(byte[] b, int off, int len) throws IOException {
    check();
    while (len > 0) {
      if (current == null) {
        current = take();
      }
      int n = Math.min(len, current.remaining());
      current.put(b, off, n);
      off += n;
      len -= n;
      if (!current.hasRemaining()) {
        submit(current);
        current = null;
      }
    }
    // a slow body would fill a chunk only after minutes: what arrived goes to the file at least every half second,
    // so a pull killed meanwhile keeps it (issue 27: 57 KB had arrived at 1 KiB/s, and the kept file was empty)
    if (current != null && current.position() > 0 && System.nanoTime() - lastSubmit > FLUSH_AFTER_NANOS) {
      submit(current);
      current = null;
    }
  }

  /** Writes what is queued, waits for the writer, and reports a write that failed. Leaves the channel open. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (current != null && current.position() > 0) {
        submit(current);
      }
      current = null;
      full.put(END);
      writer.join();
    } catch (InterruptedException e) {
      writer.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while keeping the bytes of " + file.getFileName());
    }
    check();
  }

  private void check() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw new IOException("Could not keep the fetched bytes in " + file + ": " + f.getMessage()
          + "; check the space and permissions of that directory", f);
    }
  }

  private ByteBuffer take() throws IOException {
    ByteBuffer b = free.poll();
    if (b == null && allocated < IN_FLIGHT) {
      allocated++;
      // direct: the channel writes it as it is, with no copy into a temporary buffer of its own
      return ByteBuffer.allocateDirect(CHUNK);
    }
    try {
      return b != null ? b : free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while keeping the bytes of " + file.getFileName());
    }
  }

  private void submit(ByteBuffer b) throws IOException {
    lastSubmit = System.nanoTime();
    b.flip();
    try {
      full.put(b);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while keeping the bytes of " + file.getFileName());
    }
  }

  private void drain() {
    try {
      for (ByteBuffer b; (b = full.take()) != END; ) {
        if (failure == null) {
          try {
            while (b.hasRemaining()) {
              channel.write(b);
            }
          } catch (IOException e) {
            failure = e; // the rest is dropped: the file keeps the prefix written so far
          } catch (RuntimeException e) {
            failure = new IOException(e.toString(), e); // a channel not open for writing, say
          }
        }
        b.clear();
        free.add(b);
      }
    } catch (InterruptedException e) {
      failure = new InterruptedIOException("interrupted");
    }
  }
}
