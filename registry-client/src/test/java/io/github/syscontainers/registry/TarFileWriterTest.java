package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarFileWriterTest {
  @TempDir Path tmp;

  private static Map<String, byte[]> read(Path tar) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  @Test
  void entriesOfKnownAndLearntSizesReadBackAndTheTargetAppearsOnlyAtCommit() throws IOException {
    Path target = tmp.resolve("a.tar");
    byte[] big = new byte[1_000_003];
    new Random(7).nextBytes(big);
    try (TarFileWriter w = TarFileWriter.create(target)) {
      w.directory("blobs");
      w.file("small", "hello".getBytes(StandardCharsets.UTF_8));
      w.file("known", big.length, new ByteArrayInputStream(big));
      long n = w.streamedFile(new ByteArrayInputStream(big, 0, 700), size -> "learnt-" + size);
      assertThat(n).isEqualTo(700);
      assertThat(w.streamedFile(new ByteArrayInputStream(big), size -> null)).isEqualTo(-1);
      w.file("last", new byte[0]);
      assertThat(target).doesNotExist();
      w.commit();
    }
    Map<String, byte[]> entries = read(target);
    assertThat(entries.keySet()).containsExactly("blobs/", "small", "known", "learnt-700", "last");
    assertThat(entries.get("known")).isEqualTo(big);
    assertThat(new String(entries.get("small"), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(Files.size(target) % 512).isZero();
    assertThat(Files.list(tmp)).containsExactly(target);
  }

  @Test
  void anUncommittedTarLeavesNothingAndAShortSourceIsRefused() throws IOException {
    Path target = tmp.resolve("b.tar");
    try (TarFileWriter w = TarFileWriter.create(target)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.file("x", 10, new ByteArrayInputStream(new byte[3])))
          .hasMessageContaining("was to be 10 bytes but its source gave 3");
    }
    assertThat(Files.list(tmp)).isEmpty();
  }

  @Test
  void aKilledWritersTemporaryTarIsRemovedByTheNextWriter() throws IOException {
    Path target = tmp.resolve("c.tar");
    Path abandoned = tmp.resolve(".c.tar.tmp-999999999");
    Files.writeString(abandoned, "half");
    try (TarFileWriter w = TarFileWriter.create(target)) {
      assertThat(abandoned).doesNotExist();
    }
  }

  @Test
  void gzipCompressionReadsBackThroughTheJdkAndGzip() throws Exception {
    byte[] data = new byte[3_000_000];
    Random r = new Random(3);
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (r.nextInt(16) + 'a');
    }
    byte[] gz;
    try (InputStream in = new GzipCompressingInputStream(new ByteArrayInputStream(data), Deflater.DEFAULT_COMPRESSION)) {
      gz = in.readAllBytes();
    }
    assertThat(gz.length).isLessThan(data.length);
    try (InputStream back = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(back.readAllBytes()).isEqualTo(data);
    }
    try (InputStream empty = new GzipCompressingInputStream(new ByteArrayInputStream(new byte[0]), 1);
        InputStream back = new GZIPInputStream(new ByteArrayInputStream(empty.readAllBytes()))) {
      assertThat(back.readAllBytes()).isEmpty();
    }
    Path f = tmp.resolve("x.gz");
    Files.write(f, gz);
    Process p = new ProcessBuilder("gzip", "-t", f.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }
}
