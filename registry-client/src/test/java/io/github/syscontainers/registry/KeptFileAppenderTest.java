package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept file, written on a thread of its own: every byte, in order, and a failed write reported. */
class KeptFileAppenderTest {
  @TempDir Path tmp;

  @Test
  void everyByteArrivesInOrderWhateverTheSizesOfTheAppends() throws Exception {
    Path file = tmp.resolve("blob.partial");
    Random random = new Random(7);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {42})); // appends after what the file holds
      expected.write(42);
      try (KeptFileAppender a = new KeptFileAppender(ch, file)) {
        // sizes around and well past a chunk, so chunks fill, split across appends and queue up
        for (int size : new int[] {1, 8192, 262_143, 2, 262_144, 1_500_000, 0, 3, 700_001, 8191}) {
          byte[] b = new byte[size + 10];
          random.nextBytes(b);
          a.append(b, 5, size);
          expected.write(b, 5, size);
        }
      }
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
  }

  /** Issue 27, item 5: at 1 KiB/s a chunk fills after minutes; what arrived reaches the file within a second. */
  @Test
  void aSlowBodyReachesTheFileWithoutWaitingForAFullChunk() throws Exception {
    Path file = tmp.resolve("blob.partial");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        KeptFileAppender a = new KeptFileAppender(ch, file)) {
      byte[] kib = new byte[1024];
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (Files.size(file) < 1024 && System.nanoTime() < deadline) {
        a.append(kib, 0, 100); // a trickle: 100 bytes every 50 ms
        Thread.sleep(50);
      }
      assertThat(Files.size(file)).as("bytes on disk before the appender is closed").isGreaterThanOrEqualTo(1024);
    }
  }

  @Test
  void aWriteThatFailsIsReportedByTheNextAppendOrByClose() throws Exception {
    Path file = tmp.resolve("blob.partial");
    FileChannel ch = FileChannel.open(Files.createFile(file), StandardOpenOption.READ); // not open for writing
    KeptFileAppender a = new KeptFileAppender(ch, file);
    byte[] chunk = new byte[1 << 20];
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 16; i++) {
                a.append(chunk, 0, chunk.length); // fails once the writer has met the first failure
              }
              a.close();
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Could not keep the fetched bytes in " + file)
        .hasMessageContaining("space and permissions");
    assertThat(Files.size(file)).isZero();
    ch.close();
  }
}
