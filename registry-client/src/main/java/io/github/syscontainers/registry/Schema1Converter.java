package io.github.syscontainers.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts a schema 1 image to Docker schema 2, as c/image does when skopeo copies one into a store that keeps
 * schema 2 (atomic's OSTree repositories did): the config is the top history entry's v1Compatibility without its v1
 * fields ({@code id}, {@code parent}, {@code parent_id}, {@code layer_id}, {@code throwaway}, {@code Size}), plus
 * {@code rootfs.diff_ids} measured while the layers were imported and a {@code history} built from every entry;
 * layers whose entry is {@code throwaway} are left out of the manifest and marked {@code empty_layer}.
 */
final class Schema1Converter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Manifest.Schema1 source;
  private final String what;

  Schema1Converter(Manifest.Schema1 source, String what) {
    this.source = source;
    this.what = what;
  }

  /** The blobs that become layers, base first: those whose history entry is not {@code throwaway}. */
  List<Digest> layerBlobs() throws RegistryException {
    List<Digest> out = new ArrayList<>();
    for (int i = 0; i < source.blobSums().size(); i++) {
      if (!entry(i).path("throwaway").asBoolean(false)) {
        out.add(source.blobSums().get(i));
      }
    }
    return out;
  }

  /**
   * The schema 2 image: {@code layers} are the descriptors of {@link #layerBlobs()} (sizes as the source reported
   * them), {@code diffIds} their uncompressed digests in the same order, or none while they are not known yet.
   */
  ResolvedImage convert(List<Descriptor> layers, List<Digest> diffIds) throws RegistryException {
    if (!diffIds.isEmpty() && layers.size() != diffIds.size()) {
      throw new IllegalArgumentException(layers.size() + " layers but " + diffIds.size() + " DiffIDs");
    }
    ObjectNode config = (ObjectNode) entry(source.v1Compatibility().size() - 1).deepCopy();
    for (String v1Only : List.of("id", "parent", "parent_id", "layer_id", "throwaway", "Size")) {
      config.remove(v1Only);
    }
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.putArray("diff_ids");
    diffIds.forEach(d -> ids.add(d.toString()));
    ArrayNode history = config.putArray("history");
    for (int i = 0; i < source.v1Compatibility().size(); i++) {
      JsonNode e = entry(i);
      ObjectNode h = history.addObject();
      copyText(e, h, "created", "created");
      copyText(e, h, "author", "author");
      List<String> cmd = new ArrayList<>();
      e.path("container_config").path("Cmd").forEach(c -> cmd.add(c.asText()));
      if (!cmd.isEmpty()) {
        h.put("created_by", String.join(" ", cmd));
      }
      copyText(e, h, "comment", "comment");
      if (e.path("throwaway").asBoolean(false)) {
        h.put("empty_layer", true);
      }
    }
    byte[] configBytes = bytes(config);
    Descriptor configDescriptor = Descriptor.of(MediaType.DOCKER_CONFIG, Digest.sha256Of(configBytes), configBytes.length);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaType.DOCKER_MANIFEST);
    manifest.set("config", descriptorJson(configDescriptor));
    ArrayNode layerArray = manifest.putArray("layers");
    List<Descriptor> converted = new ArrayList<>();
    for (Descriptor l : layers) {
      Descriptor d = Descriptor.of(MediaType.DOCKER_LAYER_GZIP, l.digest(), l.size());
      converted.add(d);
      layerArray.add(descriptorJson(d));
    }
    byte[] manifestBytes = bytes(manifest);
    return new ResolvedImage(
        manifestBytes,
        Digest.sha256Of(manifestBytes),
        new Manifest.Image(MediaType.DOCKER_MANIFEST, configDescriptor, converted),
        configBytes,
        ImageConfig.parse(configBytes));
  }

  private JsonNode entry(int i) throws RegistryException {
    try {
      return JSON.readTree(source.v1Compatibility().get(i));
    } catch (JsonProcessingException e) {
      throw new RegistryException("History entry " + i + " of the schema 1 manifest of " + what + " is not JSON", e);
    }
  }

  private static void copyText(JsonNode from, ObjectNode to, String fromKey, String toKey) {
    if (from.hasNonNull(fromKey) && !from.path(fromKey).asText().isEmpty()) {
      to.put(toKey, from.path(fromKey).asText());
    }
  }

  private static ObjectNode descriptorJson(Descriptor d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("mediaType", d.mediaType());
    n.put("size", d.size());
    n.put("digest", d.digest().toString());
    return n;
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree built here could not be written", e);
    }
  }
}
