package io.github.syscontainers.registry;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The parsers of what a registry, an OCI layout or an archive serves, on any bytes (issue 30), with Jazzer:
 * manifests of every media type, image configs and OCI index files each give a value or throw the module's checked
 * {@link RegistryException}; any other exception, a hang or running out of memory is a finding. The first byte of an
 * input picks the media type (or the ref asked of an index); the rest is the body. Seeds: what skopeo 1.9.3 and
 * umoci wrote for the bench image, and the captures of ../shared/spec/registry-protocol.md.
 */
class ManifestFuzzTest {
  static final String[] TYPES = {
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    "application/vnd.docker.distribution.manifest.v1+json",
    "application/json",
    "",
  };
  static final String[] REFS = {null, "latest", "1", "v1", "sha256-0", ""};

  @FuzzTest(maxDuration = "30s")
  void manifestsOfEveryType(byte[] data) {
    if (data.length == 0) {
      return;
    }
    try {
      ManifestParser.parse(body(data), TYPES[(data[0] & 0xFF) % TYPES.length], "fuzz");
    } catch (RegistryException refused) {
      // what a pull reports as a malformed manifest
    }
  }

  @FuzzTest(maxDuration = "30s")
  void imageConfigs(byte[] data) {
    try {
      ImageConfig.parse(data);
    } catch (RegistryException refused) {
      // a malformed config
    }
  }

  @FuzzTest(maxDuration = "30s")
  void layoutIndexes(byte[] data) {
    if (data.length == 0) {
      return;
    }
    try {
      LayoutIndex.select(body(data), Optional.ofNullable(REFS[(data[0] & 0xFF) % REFS.length]), "fuzz");
    } catch (RegistryException refused) {
      // a malformed index.json, or no such image in it
    }
  }

  static byte[] body(byte[] data) {
    return Arrays.copyOfRange(data, 1, data.length);
  }
}
