package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sigstore attachment manifests (containers-sigstore-signing(5), cosign's layout): an OCI image manifest tagged
 * {@code sha256-HEX.sig} whose layers are the signatures of the manifest {@code sha256:HEX}. Read from a registry by
 * tag, or from an OCI layout's index by that ref name; refused when it is not an OCI image manifest, as
 * containers/image refuses it.
 */
final class Attachments {
  /** Opens a blob of a layout, verified. */
  @FunctionalInterface
  interface BlobOpener {
    InputStream open(Descriptor d) throws RegistryException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private Attachments() {}

  /**
   * An attachment manifest with {@code added} appended, as containers/image writes one: the existing layers kept,
   * each new signature a layer (one already there, same blob and annotations, is not added twice), and a config
   * whose {@code rootfs.diff_ids} lists the layers.
   *
   * @param blobs receives the blobs to store: the new layers and the new config, by digest
   * @return the new manifest
   */
  static byte[] withAdded(Optional<byte[]> existingManifest, Optional<byte[]> existingConfig,
      List<SigstoreAttachment> added, Map<Digest, byte[]> blobs, String what) throws RegistryException {
    try {
      ObjectNode manifest = existingManifest.isPresent()
          ? (ObjectNode) JSON.readTree(existingManifest.get())
          : JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaType.OCI_MANIFEST);
      ObjectNode config = existingConfig.isPresent()
          ? (ObjectNode) JSON.readTree(existingConfig.get())
          : emptyConfig();
      ArrayNode layers = manifest.has("layers")
          ? (ArrayNode) manifest.get("layers") : manifest.putArray("layers");
      ObjectNode rootfs = config.has("rootfs")
          ? (ObjectNode) config.get("rootfs") : config.putObject("rootfs");
      ArrayNode diffIds = rootfs.has("diff_ids")
          ? (ArrayNode) rootfs.get("diff_ids") : rootfs.putArray("diff_ids");
      for (SigstoreAttachment a : added) {
        Digest d = Digest.sha256Of(a.payload());
        boolean present = false;
        for (JsonNode l : layers) {
          present |= l.path("digest").asText().equals(d.toString()) && l.path("mediaType").asText().equals(a.mediaType())
              && JSON.convertValue(l.path("annotations"), Map.class).equals(a.annotations());
        }
        if (present) {
          continue;
        }
        ObjectNode l = layers.addObject();
        l.put("mediaType", a.mediaType()).put("digest", d.toString()).put("size", a.payload().length);
        ObjectNode an = l.putObject("annotations");
        new TreeMap<>(a.annotations()).forEach(an::put);
        diffIds.add(d.toString());
        blobs.put(d, a.payload());
      }
      byte[] configBytes = JSON.writeValueAsBytes(config);
      Digest c = Digest.sha256Of(configBytes);
      blobs.put(c, configBytes);
      ObjectNode cd = JSON.createObjectNode();
      cd.put("mediaType", MediaType.OCI_CONFIG).put("digest", c.toString()).put("size", configBytes.length);
      manifest.set("config", cd);
      // the field order containers/image writes: schemaVersion, mediaType, config, layers
      ObjectNode out = JSON.createObjectNode();
      out.set("schemaVersion", manifest.get("schemaVersion"));
      out.set("mediaType", manifest.get("mediaType"));
      out.set("config", cd);
      out.set("layers", layers);
      manifest.fields().forEachRemaining(e -> {
        if (!out.has(e.getKey())) {
          out.set(e.getKey(), e.getValue());
        }
      });
      return JSON.writeValueAsBytes(out);
    } catch (IOException | ClassCastException e) {
      throw new RegistryException("Cannot add to " + what + ": " + e.getMessage(), e);
    }
  }

  /** The config of a new attachment manifest, as Go writes an empty OCI image config with layers. */
  private static ObjectNode emptyConfig() {
    ObjectNode c = JSON.createObjectNode();
    c.put("architecture", "").put("os", "");
    c.putObject("config");
    c.putObject("rootfs").put("type", "layers");
    return c;
  }

  /** The layers of an attachment manifest served as {@code contentType}. */
  static List<Descriptor> layers(byte[] bytes, String contentType, String what) throws RegistryException {
    if (bytes.length > ManifestResolver.MAX_MANIFEST) {
      throw new RegistryException(what + " is over the 4 MiB limit of a manifest");
    }
    if (!MediaType.essence(contentType).equals(MediaType.OCI_MANIFEST)) {
      throw new RegistryException("Unexpected MIME type for " + what + ": \"" + contentType + "\"; an attachment"
          + " manifest is an OCI image manifest");
    }
    Manifest m = ManifestParser.parse(bytes, contentType, what);
    if (!(m instanceof Manifest.Image)) {
      throw new RegistryException(what + " is not an image manifest");
    }
    return ((Manifest.Image) m).layers();
  }

  /** The attachments of {@code digest} in an OCI layout whose index is {@code indexJson}. */
  static Optional<List<Descriptor>> inLayout(byte[] indexJson, Digest digest, BlobOpener blobs, String what)
      throws RegistryException {
    String tag = ImageSource.sigstoreTag(digest);
    Optional<Descriptor> d = LayoutIndex.named(indexJson, tag, what);
    if (d.isEmpty()) {
      return Optional.empty();
    }
    String where = "the sigstore attachments " + tag + " in " + what;
    if (d.get().size() > ManifestResolver.MAX_MANIFEST) {
      throw new RegistryException(where + " are over the 4 MiB limit of a manifest");
    }
    try (InputStream in = blobs.open(d.get())) {
      byte[] bytes = in.readNBytes((int) ManifestResolver.MAX_MANIFEST + 1);
      return Optional.of(layers(bytes, d.get().mediaType(), where));
    } catch (IOException e) {
      throw e instanceof RegistryException ? (RegistryException) e
          : new RegistryException("Tried to read " + where + " but failed: " + e.getMessage(), e);
    }
  }
}
