package io.github.syscontainers.registry;

import io.github.syscontainers.fixtures.FakeRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Range resume across runs: what one run fetched is kept, re-hashed and continued by the next. */
class PartialBlobsTest {
  /** No resume within the run: a broken body fails the run, as a killed or exhausted pull would. */
  static final SourceOptions ONE_TRY =
      RegistryFaultTest.OPTIONS.withRetry(new RetryPolicy(1, Duration.ofMillis(10), Duration.ofSeconds(1), 0, 0, Duration.ofSeconds(30)));

  @TempDir Path tmp;
  FakeRegistry reg;
  TestImage.Blob layer = RegistryFaultTest.IMAGE.layers().get(0);
  Descriptor descriptor;
  PartialBlobs partials;

  @BeforeEach
  void start() throws Exception {
    reg = new FakeRegistry(RegistryFaultTest.IMAGE);
    descriptor = Descriptor.of(layer.mediaType(), Digest.parse(layer.digest()), layer.data().length);
    partials = new PartialBlobs(tmp.resolve("partial"));
  }

  @AfterEach
  void stop() throws Exception {
    reg.close();
  }

  private byte[] fetch(SourceOptions options) throws Exception {
    try (ImageSource src = ImageSource.open(SourceReference.parse(reg.ref()), options)) {
      src.resolve(Platform.parse("linux/amd64"));
      try (PartialBlobs.Opened o = partials.open(src, descriptor)) {
        return o.stream().readAllBytes();
      }
    }
  }

  private List<String> ranges() {
    return reg.requestsFor(reg.blobPath(layer)).stream().map(r -> String.valueOf(r.getHeaders().get("Range"))).toList();
  }

  @Test
  void aBlobThatBrokeOffInOneRunIsContinuedWithRangeInTheNext() throws Exception {
    int half = layer.data().length / 2;
    reg.fault(reg.blobPath(layer), r -> RegistryFaultTest.truncated(layer.data(), half));
    assertThatThrownBy(() -> fetch(ONE_TRY)).isInstanceOf(RegistryException.class).hasMessageContaining("broke off");
    assertThat(partials.path(descriptor)).hasBinaryContent(Arrays.copyOf(layer.data(), half));

    assertThat(fetch(ONE_TRY)).isEqualTo(layer.data());
    assertThat(ranges()).containsExactly("null", "bytes=" + half + "-");
    partials.finished(descriptor);
    assertThat(partials.path(descriptor)).doesNotExist();
  }

  @Test
  void aBlobThatVerifiesLosesItsKeptBytesAtItsLastByte() throws Exception {
    try (ImageSource src = ImageSource.open(SourceReference.parse(reg.ref()), ONE_TRY)) {
      src.resolve(Platform.parse("linux/amd64"));
      try (PartialBlobs.Opened o = partials.open(src, descriptor)) {
        InputStream in = o.stream();
        byte[] first = in.readNBytes(layer.data().length - 1);
        assertThat(partials.path(descriptor)).exists(); // kept while the blob arrives
        assertThat(in.read()).isEqualTo(layer.data()[layer.data().length - 1] & 0xFF);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(first).isEqualTo(Arrays.copyOf(layer.data(), first.length));
        assertThat(partials.path(descriptor)).doesNotExist(); // before the caller's finished(): before an import syncs
      }
    }
  }

  @Test
  void keptBytesThatDoNotVerifyAreDroppedAndTheNextRunStartsOver() throws Exception {
    int half = layer.data().length / 2;
    byte[] wrong = Arrays.copyOf(layer.data(), half);
    wrong[10] ^= 1;
    Files.createDirectories(tmp.resolve("partial"));
    Files.write(partials.path(descriptor), wrong);

    assertThatThrownBy(() -> fetch(ONE_TRY)).isInstanceOf(RegistryException.class).hasMessageContaining("igest");
    assertThat(partials.path(descriptor)).doesNotExist();
    assertThat(fetch(ONE_TRY)).isEqualTo(layer.data());
    assertThat(ranges()).containsExactly("bytes=" + half + "-", "null");
  }

  @Test
  void aBlobKeptWholeIsVerifiedWithoutAskingTheRegistry() throws Exception {
    Files.createDirectories(tmp.resolve("partial"));
    Files.write(partials.path(descriptor), layer.data());
    try (ImageSource src = ImageSource.open(SourceReference.parse(reg.ref()), ONE_TRY)) {
      src.resolve(Platform.parse("linux/amd64"));
      try (PartialBlobs.Opened o = partials.open(src, descriptor)) {
        assertThat(o.resumedFrom()).isEqualTo(layer.data().length);
        assertThat(o.stream().readAllBytes()).isEqualTo(layer.data());
      }
    }
    assertThat(reg.requestsFor(reg.blobPath(layer))).isEmpty();
  }

  @Test
  void aBlobAnotherProcessIsFetchingIsReadWholeAndNothingIsKept() throws Exception {
    Files.createDirectories(tmp.resolve("partial"));
    Files.write(partials.path(descriptor), Arrays.copyOf(layer.data(), 100));
    try (java.nio.channels.FileChannel other =
            java.nio.channels.FileChannel.open(partials.path(descriptor), java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held = other.lock()) {
      // the lock is this JVM's, so open() meets OverlappingFileLockException: the same answer as another process
      assertThat(fetch(ONE_TRY)).isEqualTo(layer.data());
      assertThat(held.isValid()).isTrue();
    }
    assertThat(ranges()).containsExactly("null");
    assertThat(Files.size(partials.path(descriptor))).isEqualTo(100);
  }

  @Test
  void archivesAreReadAsTheyAre() throws Exception {
    Path archive = tmp.resolve("img.tar");
    RegistryFaultTest.IMAGE.writeOciArchive(archive, "1");
    try (ImageSource src = ImageSource.open(SourceReference.parse("oci-archive:" + archive), ONE_TRY)) {
      src.resolve(Platform.parse("linux/amd64"));
      try (PartialBlobs.Opened o = partials.open(src, descriptor); InputStream in = o.stream()) {
        assertThat(in.readAllBytes()).isEqualTo(layer.data());
        assertThat(o.resumedFrom()).isZero();
      }
    }
    assertThat(tmp.resolve("partial")).doesNotExist();
  }
}
