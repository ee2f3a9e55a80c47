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
 * install puts the native crypto provider to work when it is worth its start, and not before: AES-GCM when a
 * registry is to be reached over TLS (RegistryTlsIT), SHA-256 when the layers to fetch reach a megabyte. An install
 * of a stored image loads no Corretto class, nor does a cold install of a small image from a layout (the JDK hashes
 * its few kilobytes before AWS-LC could have loaded). A large pull hashes its layers with the Corretto provider's
 * SHA-256, through the launcher's unpacked AWS-LC, asked of the provider object: the JVM's list is left alone, so
 * the JDK never loads its security providers (SunJCE among them), as putting one in the list makes it do.
 */
class CryptoOnOpenIT {
  static final String PROVIDERS_LOADED = " com.sun.crypto.provider.SunJCE source:";
  static final String CORRETTO_SHA256 = " com.amazon.corretto.crypto.provider.SHA256Spi source:";

  @TempDir Path tmp;

  @Test
  void aLargePullInstallsTheProviderAndASmallOneOrAWarmInstallDoesNot() throws Exception {
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciLayout(tmp.resolve("hello"), "1");
    // the same sample with 2 MiB of random bytes in its layer: a layer of over a megabyte, compressed
    Path big = tmp.resolve("big");
    copyTree(Launcher.TOP.resolve("examples/hello"), big);
    byte[] noise = new byte[2 << 20];
    new java.util.Random(35).nextBytes(noise);
    Files.write(big.resolve("rootfs/noise"), noise);
    SampleImage.build(big).writeOciLayout(tmp.resolve("big-layout"), "1");
    String root = tmp.resolve("root").toString();

    Exec.Result small = install(tmp.resolve("small.log"), "small", "oci:" + tmp.resolve("hello") + ":1", root);
    assertThat(small.exitCode()).as(small.output()).isZero();
    assertThat(Files.readString(tmp.resolve("small.log"))).doesNotContain(PROVIDERS_LOADED)
        .doesNotContain("com.amazon.corretto");

    Exec.Result cold = install(tmp.resolve("cold.log"), "cold", "oci:" + tmp.resolve("big-layout") + ":1", root);
    assertThat(cold.exitCode()).as(cold.output()).isZero();
    assertThat(Files.readString(tmp.resolve("cold.log"))).doesNotContain(PROVIDERS_LOADED).contains(CORRETTO_SHA256);

    Exec.Result warm = install(tmp.resolve("warm.log"), "warm", "big-layout:1", root);
    assertThat(warm.exitCode()).as(warm.output()).isZero();
    assertThat(Files.readString(tmp.resolve("warm.log"))).doesNotContain(PROVIDERS_LOADED)
        .doesNotContain("com.amazon.corretto");
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.LinkOption.NOFOLLOW_LINKS,
              java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static Exec.Result install(Path log, String name, String image, String root) throws Exception {
    return Launcher.run(
        Map.of("SYSCONTAINERS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
        "install", "--system", "--name", name, "--root", root, image);
  }
}
