package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.FakeRegistry;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 9, through the launcher: a registry that never answers is named within seconds and given up at the
 * deadline {@code --request-timeout} sets; a blob that fails its digest is reported once.
 */
class RegistrySilenceIT {
  @TempDir Path tmp;

  @Test
  void aRegistryThatNeverAnswersIsSaidAndGivenUp() throws Exception {
    assertThat(Launcher.run("--version").exitCode()).isZero(); // class-data archives made outside the timing
    TestImage image = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    try (FakeRegistry reg = new FakeRegistry(image)) {
      reg.always(r -> r.getUrl().encodedPath().equals(reg.manifestPath())
          ? new MockResponse.Builder().headersDelay(10, TimeUnit.MINUTES).body("{}").build() : null);
      long started = System.nanoTime();
      Exec.Result r =
          Launcher.run("pull", "--tls-verify=false", "--request-timeout", "8s", "--root", tmp.resolve("root").toString(),
              reg.ref());
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(40);
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stdout())
          .contains("Waiting for 127.0.0.1:" + reg.server.getPort() + " to answer the HEAD of manifest img:1: 5 s so far");
      assertThat(Launcher.lines(r.stderr())).singleElement().asString()
          .startsWith("Failed: ")
          .contains("did not answer the HEAD of manifest img:1 within 8 s")
          .contains("--request-timeout");
      assertThat(reg.requestsFor(reg.manifestPath())).extracting(q -> q.getMethod()).containsOnly("HEAD");
      Exec.Result bad = Launcher.run("pull", "--request-timeout", "soon", reg.ref());
      assertThat(Launcher.lines(bad.stderr())).singleElement().asString()
          .startsWith("--request-timeout: invalid duration 'soon'");
    }
  }

  @Test
  void aBlobThatFailsItsDigestIsReportedOnce() throws Exception {
    TestImage image = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    TestImage.Blob layer = image.layers().get(0);
    byte[] bad = layer.data().clone();
    bad[bad.length / 2] ^= 1;
    try (FakeRegistry reg = new FakeRegistry(image)) {
      reg.always(r -> r.getUrl().encodedPath().equals(reg.blobPath(layer)) ? FakeRegistry.blob(bad, null) : null);
      Exec.Result r = Launcher.run("pull", "--tls-verify=false", "--root", tmp.resolve("root").toString(), reg.ref());
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr().split("Dropping the kept bytes", -1)).as(r.stderr()).hasSize(2);
      assertThat(r.stderr()).contains("does not match its digest " + layer.digest());
    }
  }
}
