package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.model.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses manifests and indexes from their exact bytes. The media type comes from {@code Content-Type} when it names
 * a manifest type, else from the body ({@code mediaType}, {@code manifests}, {@code config}), because registries and
 * archives mislabel them.
 */
public final class ManifestParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestParser() {}

  /**
   * Parses {@code body}; {@code contentType} may be empty or generic.
   *
   * @throws RegistryException when the body is not a manifest this client understands
   */
  public static Manifest parse(byte[] body, String contentType, String what) throws RegistryException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new RegistryException("The manifest of " + what + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new RegistryException("The manifest of " + what + " is not a JSON object");
    }
    String type = MediaType.essence(contentType == null ? "" : contentType);
    String bodyType = root.path("mediaType").asText("");
    if (!(MediaType.isIndex(type) || MediaType.isImageManifest(type))) {
      type = !bodyType.isEmpty() ? bodyType : root.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    }
    if (root.path("schemaVersion").asInt() == 1) {
      return Schema1Parser.parse(body, root, what);
    }
    if (root.path("schemaVersion").asInt() != 2) {
      throw new RegistryException("The manifest of " + what + " has an unsupported schemaVersion");
    }
    if (!bodyType.isEmpty() && !MediaType.essence(bodyType).equals(MediaType.essence(type))) {
      throw new RegistryException(
          "The manifest of " + what + " says it is " + bodyType + " but was served as " + type);
    }
    try {
      if (MediaType.isIndex(type)) {
        List<Descriptor> manifests = new ArrayList<>();
        for (JsonNode m : root.path("manifests")) {
          manifests.add(descriptor(m));
        }
        return new Manifest.Index(type, manifests);
      }
      if (!root.has("config")) {
        throw new RegistryException("The manifest of " + what + " has no config");
      }
      List<Descriptor> layers = new ArrayList<>();
      for (JsonNode l : root.path("layers")) {
        layers.add(descriptor(l));
      }
      return new Manifest.Image(type, descriptor(root.path("config")), layers);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("The manifest of " + what + " has an invalid descriptor: " + e.getMessage(), e);
    }
  }

  /**
   * The digest a registry gives these manifest bytes: over the whole, except for a signed schema 1 manifest, whose
   * digest covers only its JWS payload. Bytes that are not a JSON object are digested whole.
   */
  public static Digest digestOf(byte[] body) throws RegistryException {
    return Digest.sha256Of(digestedBytes(body));
  }

  /** The bytes {@link #digestOf} digests, for a check with another algorithm. */
  static byte[] digestedBytes(byte[] body) throws RegistryException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return body;
    }
    if (root != null && root.path("schemaVersion").asInt() == 1) {
      return Schema1Parser.payload(body, root, "the manifest");
    }
    return body;
  }

  static Descriptor descriptor(JsonNode n) {
    if (!n.path("size").canConvertToLong() || !n.has("digest")) {
      throw new IllegalArgumentException("a descriptor needs a digest and a size");
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    n.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    Optional<Platform> platform = Optional.empty();
    JsonNode p = n.path("platform");
    if (p.isObject() && p.hasNonNull("os") && p.hasNonNull("architecture")) {
      String variant = p.path("variant").asText("");
      platform =
          Optional.of(
              new Platform(
                  p.path("os").asText(),
                  p.path("architecture").asText(),
                  variant.isEmpty() ? Optional.empty() : Optional.of(variant)));
    }
    return new Descriptor(
        n.path("mediaType").asText(""), Digest.parse(n.path("digest").asText()), n.path("size").asLong(),
        annotations, platform);
  }
}
