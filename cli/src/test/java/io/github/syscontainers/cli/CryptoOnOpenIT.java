package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install puts the native crypto provider in place when it opens a source to pull from, and not before: an install
 * of a stored image never makes the JDK load its security providers, nor loads the Corretto provider. Installing the
 * provider loads them all (SunJCE among them); nothing else in an install does. The pull hashes its layers with the
 * Corretto provider's SHA-256, through the launcher's unpacked AWS-LC.
 */
class CryptoOnOpenIT {
  static final String PROVIDERS_LOADED = " com.sun.crypto.provider.SunJCE source:";
  static final String CORRETTO_SHA256 = " com.amazon.corretto.crypto.provider.SHA256Spi source:";

  @TempDir Path tmp;

  @Test
  void aPullInstallsTheProviderAndAWarmInstallDoesNot() throws Exception {
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciLayout(tmp.resolve("hello"), "1");
    String root = tmp.resolve("root").toString();

    Exec.Result cold = install(tmp.resolve("cold.log"), "cold", "oci:" + tmp.resolve("hello") + ":1", root);
    assertThat(cold.exitCode()).as(cold.output()).isZero();
    assertThat(Files.readString(tmp.resolve("cold.log"))).contains(PROVIDERS_LOADED).contains(CORRETTO_SHA256);

    Exec.Result warm = install(tmp.resolve("warm.log"), "warm", "hello:1", root);
    assertThat(warm.exitCode()).as(warm.output()).isZero();
    assertThat(Files.readString(tmp.resolve("warm.log"))).doesNotContain(PROVIDERS_LOADED)
        .doesNotContain("com.amazon.corretto");
  }

  private static Exec.Result install(Path log, String name, String image, String root) throws Exception {
    return Launcher.run(
        Map.of("SYSCONTAINERS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
        "install", "--system", "--name", name, "--root", root, image);
  }
}
