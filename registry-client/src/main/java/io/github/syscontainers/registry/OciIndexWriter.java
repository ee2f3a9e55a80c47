package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code index.json} of an OCI layout or archive being written: the manifests added, each named by an
 * {@code org.opencontainers.image.ref.name} annotation (one entry per name, as skopeo and podman write them), kept
 * after the entries of an index that was there before unless a new one takes their name.
 */
final class OciIndexWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Entry(String mediaType, Digest digest, long size, Optional<String> name) {}

  private final List<Entry> added = new ArrayList<>();

  /** Adds a manifest under each of {@code names}, or once without a name when there are none. */
  void add(String mediaType, Digest digest, long size, List<String> names) {
    if (names.isEmpty()) {
      added.add(new Entry(mediaType, digest, size, Optional.empty()));
    }
    for (String n : names) {
      added.removeIf(e -> e.name().equals(Optional.of(n)));
      added.add(new Entry(mediaType, digest, size, Optional.of(n)));
    }
  }

  /** index.json: {@code old}'s entries that no new entry replaces, then the new ones. */
  byte[] write(Optional<byte[]> old, String what) throws RegistryException {
    ObjectNode root;
    try {
      root = old.isPresent() ? (ObjectNode) JSON.readTree(old.get()) : JSON.createObjectNode();
    } catch (IOException | ClassCastException e) {
      throw new RegistryException("The index.json of " + what + " is not a JSON object; move the directory aside"
          + " or name another destination", e);
    }
    root.put("schemaVersion", 2);
    if (!root.has("mediaType")) {
      root.put("mediaType", MediaType.OCI_INDEX);
    }
    JsonNode prior = root.path("manifests");
    ArrayNode manifests = JSON.createArrayNode();
    if (prior.isArray()) {
      for (JsonNode m : prior) {
        String name = m.path("annotations").path(LayoutIndex.REF_NAME).asText(null);
        String digest = m.path("digest").asText("");
        boolean replaced = added.stream().anyMatch(e -> name != null ? e.name().equals(Optional.of(name))
            : e.name().isEmpty() && e.digest().toString().equals(digest));
        if (!replaced) {
          manifests.add(m);
        }
      }
    }
    for (Entry e : added) {
      ObjectNode n = manifests.addObject();
      n.put("mediaType", e.mediaType()).put("digest", e.digest().toString()).put("size", e.size());
      e.name().ifPresent(name -> n.putObject("annotations").put(LayoutIndex.REF_NAME, name));
    }
    root.set("manifests", manifests);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new RegistryException("Cannot write the index.json of " + what + ": " + e.getMessage(), e);
    }
  }

  /** The {@code oci-layout} file. */
  static byte[] layoutFile() {
    return "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
