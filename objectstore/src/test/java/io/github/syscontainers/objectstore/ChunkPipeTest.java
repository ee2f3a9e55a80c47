package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pipe a large file takes to its writer: bytes arrive whole, and every pooled buffer comes back. */
class ChunkPipeTest {
  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31);
    }
    return b;
  }

  /** Takes every buffer the pool can make without waiting: its whole capacity is back. */
  static int available(BufferPool pool) throws InterruptedException {
    java.util.List<byte[]> taken = new java.util.ArrayList<>();
    byte[] b;
    while ((b = pool.poll(0)) != null) {
      taken.add(b);
    }
    taken.forEach(pool::give);
    return taken.size();
  }

  /** Queues all of {@code data}, as the layer importer does for a large file, then marks its end. */
  static void produce(ChunkPipe pipe, byte[] data) throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(data);
    long left = data.length;
    while (left > 0) {
      left -= pipe.fill(in, left);
    }
    pipe.finish();
  }

  @Test
  void deliversEveryByteThroughFewerBuffersThanTheFileNeeds() throws Exception {
    BufferPool pool = new BufferPool(1000, 3);
    byte[] data = bytes(25_500);
    ChunkPipe pipe = new ChunkPipe(pool);
    CompletableFuture<byte[]> read =
        CompletableFuture.supplyAsync(
            () -> {
              try (pipe) {
                return pipe.readAllBytes();
              } catch (IOException e) {
                throw new RuntimeException(e);
              } finally {
                pipe.abort();
              }
            });
    produce(pipe, data);
    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(data);
    assertThat(available(pool)).isEqualTo(3);
  }

  @Test
  void whenTheWriterStopsTheProducerFailsAndTheBuffersComeBack() throws Exception {
    BufferPool pool = new BufferPool(1000, 3);
    ChunkPipe pipe = new ChunkPipe(pool);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes(10_000));
    pipe.fill(in, 10_000);
    pipe.fill(in, 10_000);
    assertThat(pipe.read(new byte[10], 0, 10)).isEqualTo(10);
    pipe.abort(); // the writer failed after reading a little
    assertThatThrownBy(() -> pipe.fill(in, 10_000)).isInstanceOf(IOException.class).hasMessageContaining("stopped");
    assertThat(available(pool)).isEqualTo(3);
  }

  @Test
  void aProducerWaitingForABufferIsReleasedWhenTheWriterStops() throws Exception {
    BufferPool pool = new BufferPool(1000, 2);
    ChunkPipe pipe = new ChunkPipe(pool);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes(10_000));
    pipe.fill(in, 10_000);
    pipe.fill(in, 10_000);
    CompletableFuture<Integer> third =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return pipe.fill(in, 10_000);
              } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
              }
            });
    Thread.sleep(200);
    assertThat(third).isNotDone(); // both buffers are out
    pipe.abort();
    assertThatThrownBy(() -> third.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
    assertThat(available(pool)).isEqualTo(2);
  }

  /**
   * The writer stops (done) the moment it has the file's last bytes, while the producer may still be just past
   * queueing them: each buffer must come back exactly once, or two files would share one.
   */
  @Test
  void aWriterThatFinishesAsTheLastChunkArrivesGivesEachBufferBackOnce() throws Exception {
    BufferPool pool = new BufferPool(64, 2);
    byte[] data = bytes(128);
    java.util.concurrent.ExecutorService consumer = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < 3000; i++) {
        ChunkPipe pipe = new ChunkPipe(pool);
        java.util.concurrent.Future<byte[]> read =
            consumer.submit(
                () -> {
                  try {
                    return pipe.readNBytes(128);
                  } finally {
                    pipe.abort();
                  }
                });
        produce(pipe, data);
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(data);
      }
    } finally {
      consumer.shutdownNow();
    }
    assertThat(available(pool)).isEqualTo(2);
  }

  @Test
  void aBufferGivenBackTwiceIsRefused() throws Exception {
    BufferPool pool = new BufferPool(1000, 2);
    byte[] b = pool.take();
    pool.give(b);
    assertThatThrownBy(() -> pool.give(b)).isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
  }

  @Test
  void aBufferFromElsewhereIsRefused() {
    BufferPool pool = new BufferPool(1000, 2);
    assertThatThrownBy(() -> pool.give(new byte[999])).isInstanceOf(IllegalStateException.class);
  }
}
