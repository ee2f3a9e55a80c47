package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.FakeRegistry;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 5: a pull on a slow link, stopped with SIGTERM (as systemd or Ctrl-C stop it), keeps the bytes
 * that had arrived; the next pull asks only for the rest, with {@code Range}, and imports the layer.
 */
class InterruptedPullIT {
  @TempDir Path tmp;

  @Test
  void aPullStoppedWithSigtermKeepsWhatArrivedAndTheNextOneResumes() throws Exception {
    Peers.requireRoot();
    byte[] noise = new byte[400_000];
    new Random(3).nextBytes(noise);
    TestImage image = TestImage.builder().layer(LayerBuilder.layer().file("noise", noise, 0644, 0, 0)).build();
    TestImage.Blob layer = image.layers().get(0);
    Path root = tmp.resolve("root");
    Path partials = root.resolve("var/lib/containers/atomic/.storage/ostree/tmp/partial-blobs");
    // the launcher's first run after a build makes its class-data archives (tens of seconds): not in the timed part
    assertThat(Launcher.run("--version").exitCode()).isZero();
    try (FakeRegistry reg = new FakeRegistry(image)) {
      // a slow link: 2 KiB every 100 ms
      reg.fault(reg.blobPath(layer), r -> new MockResponse.Builder().body(new Buffer().write(layer.data()))
          .throttleBody(2048, 100, TimeUnit.MILLISECONDS).build());
      List<String> cmd =
          List.of(Launcher.TOP.resolve("syscontainers").toString(), "pull", "--tls-verify=false", "--root",
              root.toString(), reg.ref());
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("pull.log").toFile());
      List.of("ATOMIC_OSTREE_REPO", "ATOMIC_OSTREE_CHECKOUT_PATH", "ATOMIC_CONF").forEach(pb.environment()::remove);
      Process pull = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (reg.requestsFor(reg.blobPath(layer)).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(reg.requestsFor(reg.blobPath(layer))).as(Files.readString(tmp.resolve("pull.log")) + reg.requests).hasSize(1);
      Thread.sleep(3000); // ~60 KB arrive
      pull.destroy(); // SIGTERM
      assertThat(pull.waitFor(30, TimeUnit.SECONDS)).isTrue();

      Path kept;
      try (Stream<Path> s = Files.list(partials)) {
        kept = s.filter(p -> p.getFileName().toString().endsWith(".partial")).findFirst().orElseThrow();
      }
      byte[] keptBytes = Files.readAllBytes(kept);
      assertThat(keptBytes.length).as("bytes kept after SIGTERM").isGreaterThan(20_000).isLessThan(layer.data().length);
      assertThat(keptBytes).isEqualTo(Arrays.copyOf(layer.data(), keptBytes.length));

      Exec.Result again = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(), reg.ref());
      assertThat(again.exitCode()).as(again.output()).isZero();
      List<RecordedRequest> gets = reg.requestsFor(reg.blobPath(layer));
      assertThat(gets).hasSize(2);
      String range = gets.get(1).getHeaders().get("Range");
      assertThat(range).isEqualTo("bytes=" + keptBytes.length + "-");
      assertThat(kept).doesNotExist();
      assertThat(Launcher.run("images", "list", "--root", root.toString()).stdout()).contains("img");
    }
  }
}
