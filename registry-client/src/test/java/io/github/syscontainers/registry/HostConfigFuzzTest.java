package io.github.syscontainers.registry;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.syscontainers.model.ImageReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's registry configuration files on any bytes (issue 30), with Jazzer: registries.conf (TOML) and auth.json
 * (JSON) give a configuration that answers the questions a pull asks, or the module's checked
 * {@link RegistryException}; any other exception, a hang or running out of memory is a finding. No credential helper
 * can run: the PATH the store searches is an empty directory. Seeds: Debian's /etc/containers files, the examples of
 * containers-registries.conf(5) and containers-auth.json(5) the tests use.
 */
class HostConfigFuzzTest {
  static final Path DIR = temporary();
  static final List<ImageReference> REFS = List.of(
      ImageReference.parse("docker.io/library/busybox:latest"),
      ImageReference.parse("quay.io/a/b@sha256:" + "0".repeat(64)),
      ImageReference.parse("localhost:5000/x/y:1"),
      ImageReference.parse("registry.example.com/team/app:v2"));

  @FuzzTest(maxDuration = "30s")
  void registriesConf(byte[] data) throws IOException {
    Path file = DIR.resolve("registries.conf");
    Files.write(file, data);
    RegistriesConf conf;
    try {
      conf = RegistriesConf.parse(List.of(file));
    } catch (RegistryException refused) {
      return; // what every verb reports for a malformed registries.conf
    }
    for (ImageReference ref : REFS) {
      try {
        conf.endpoints(ref, false);
      } catch (RegistryException blocked) {
        // a blocked registry, or a rewrite to no valid reference
      }
    }
    conf.searchRegistries();
    conf.alias("busybox");
    try {
      conf.shortName("busybox");
    } catch (RegistryException refused) {
      // no search registries, or an ambiguous name refused
    }
  }

  @FuzzTest(maxDuration = "30s")
  void authFiles(byte[] data) throws IOException {
    Path file = DIR.resolve("auth.json");
    Files.write(file, data);
    CredentialStore store = new CredentialStore(
        Optional.of(file), Map.of("PATH", DIR.resolve("empty").toString(), "HOME", DIR.toString()));
    for (ImageReference ref : REFS) {
      try {
        store.lookup(ref);
      } catch (RegistryException refused) {
        // a malformed auth file, or a helper that is not there
      }
    }
  }

  private static Path temporary() {
    try {
      Path d = Files.createTempDirectory("host-config-fuzz");
      Files.createDirectories(d.resolve("empty"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          for (String f : new String[] {"registries.conf", "auth.json", "empty", ""}) {
            Files.deleteIfExists(d.resolve(f));
          }
        } catch (IOException ignored) {
          // a temporary directory left behind
        }
      }));
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
