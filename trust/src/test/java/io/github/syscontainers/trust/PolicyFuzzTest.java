package io.github.syscontainers.trust;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.syscontainers.model.ImageReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The trust configuration readers on any bytes (issue 30), with Jazzer: policy.json gives a policy, and a
 * registries.d file a lookaside configuration that answers for any image, or the module's checked
 * {@link TrustException}; any other exception, a hang or running out of memory is a finding. Seeds: Debian's
 * /etc/containers/policy.json and registries.d/default.yaml, and the files of containers-policy.json(5) and
 * containers-registries.d(5) the tests use.
 */
class PolicyFuzzTest {
  static final Path DIR = temporary();
  static final List<ImageIdentity> IMAGES = List.of(
      ImageIdentity.docker(ImageReference.parse("docker.io/library/busybox:latest")),
      ImageIdentity.docker(ImageReference.parse("registry.example.com/team/app:v2")),
      ImageIdentity.docker(ImageReference.parse("localhost:5000/x@sha256:" + "0".repeat(64))));

  @FuzzTest(maxDuration = "30s")
  void policies(byte[] data) {
    try {
      PolicyParser.parse(data, "fuzz");
    } catch (TrustException refused) {
      // what a pull reports for a malformed policy.json
    }
  }

  @FuzzTest(maxDuration = "30s")
  void registriesD(byte[] data) throws IOException {
    Files.write(DIR.resolve("fuzz.yaml"), data);
    RegistriesD d;
    try {
      d = RegistriesD.load(DIR, URI.create("file:///var/lib/containers/sigstore"));
    } catch (TrustException refused) {
      return; // a malformed registries.d file
    }
    for (ImageIdentity image : IMAGES) {
      d.lookasideTop(image, false);
      d.useSigstoreAttachments(image);
      try {
        d.lookasideBase(image, true);
      } catch (TrustException refused) {
        // no staging place configured, or not a usable URI
      }
    }
  }

  private static Path temporary() {
    try {
      Path d = Files.createTempDirectory("trust-fuzz");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          Files.deleteIfExists(d.resolve("fuzz.yaml"));
          Files.deleteIfExists(d);
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
