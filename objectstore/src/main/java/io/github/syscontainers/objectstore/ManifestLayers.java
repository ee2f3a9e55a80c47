package io.github.syscontainers.objectstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads the layer list and config digest out of a stored manifest, in every shape atomic met: OCI and Docker schema 2
 * ({@code layers[].digest}), schema 1 ({@code fsLayers[].blobSum}, top first, so reversed), and atomic's legacy
 * {@code Layers}.
 */
final class ManifestLayers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestLayers() {}

  record Parsed(List<Digest> layers, Optional<Digest> config) {}

  static Parsed parse(String manifest) throws ObjectStoreException {
    try {
      JsonNode root = JSON.readTree(manifest);
      List<Digest> layers = new ArrayList<>();
      if (root.path("fsLayers").isArray() && root.path("fsLayers").size() > 0) {
        for (JsonNode l : root.path("fsLayers")) {
          layers.add(Digest.parse(l.path("blobSum").asText()));
        }
        Collections.reverse(layers);
      } else if (root.path("layers").isArray()) {
        for (JsonNode l : root.path("layers")) {
          layers.add(Digest.parse(l.path("digest").asText()));
        }
      } else if (root.path("Layers").isArray()) {
        for (JsonNode l : root.path("Layers")) {
          String t = l.asText();
          layers.add(Digest.parse(t.contains(":") ? t : "sha256:" + t));
        }
      }
      Optional<Digest> config =
          root.path("config").has("digest")
              ? Optional.of(Digest.parse(root.path("config").path("digest").asText()))
              : Optional.empty();
      return new Parsed(layers, config);
    } catch (IOException | IllegalArgumentException e) {
      throw new ObjectStoreException("The stored manifest is not valid: " + e.getMessage() + "; pull the image again", e);
    }
  }
}
