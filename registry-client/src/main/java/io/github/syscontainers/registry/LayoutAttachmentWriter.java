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
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attaches sigstore signatures to an image of an OCI layout, as containers/image's {@code oci:} destination does: the
 * signature payloads and a new config become blobs, a new attachment manifest lists them (keeping the layers of the
 * one there was), and index.json names it {@code sha256-HEX.sig} in place of the old one. Blobs are written first,
 * each to a temporary file, synced and renamed; index.json last, the same way, under a lock on
 * {@code .index.json.lock}, so a reader sees the old attachments or the new, never a manifest without its blobs.
 */
public final class LayoutAttachmentWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LayoutAttachmentWriter() {}

  /**
   * Attaches {@code added} to the manifest {@code manifest} of the layout {@code layout}.
   *
   * @return the digest of the new attachment manifest
   */
  public static Digest attach(Path layout, Digest manifest, List<SigstoreAttachment> added) throws RegistryException {
    String what = "the OCI layout " + layout;
    Path index = layout.resolve("index.json");
    if (!Files.isRegularFile(index)) {
      throw new RegistryException(what + " has no index.json; it is not an OCI image layout");
    }
    String tag = ImageSource.sigstoreTag(manifest);
    try (FileChannel lockFile = FileChannel.open(layout.resolve(".index.json.lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      byte[] indexJson = Files.readAllBytes(index);
      Optional<Descriptor> old = LayoutIndex.named(indexJson, tag, what);
      Optional<byte[]> oldManifest = Optional.empty();
      Optional<byte[]> oldConfig = Optional.empty();
      if (old.isPresent()) {
        oldManifest = Optional.of(readBlob(layout, old.get(), what));
        JsonNode config = JSON.readTree(oldManifest.get()).path("config");
        oldConfig = Optional.of(readBlob(layout, Descriptor.of(config.path("mediaType").asText(),
            Digest.parse(config.path("digest").asText()), config.path("size").asLong()), what));
      }
      Map<Digest, byte[]> blobs = new LinkedHashMap<>();
      byte[] newManifest = Attachments.withAdded(oldManifest, oldConfig, added, blobs, "the attachments " + tag
          + " of " + what);
      Digest manifestDigest = Digest.sha256Of(newManifest);
      blobs.put(manifestDigest, newManifest);
      for (Map.Entry<Digest, byte[]> b : blobs.entrySet()) {
        Path p = layout.resolve("blobs").resolve(b.getKey().algorithm()).resolve(b.getKey().hex());
        if (!Files.exists(p)) {
          BlobFiles.replace(p, b.getValue());
        }
      }
      BlobFiles.replace(index, withEntry(indexJson, tag, manifestDigest, newManifest.length));
      return manifestDigest;
    } catch (RegistryException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw new RegistryException("Cannot attach signatures to " + what + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readBlob(Path layout, Descriptor d, String what) throws IOException {
    if (d.size() > ManifestResolver.MAX_MANIFEST) {
      throw new RegistryException(d.digest() + " in " + what + " is over the 4 MiB limit of a manifest");
    }
    Path p = layout.resolve("blobs").resolve(d.digest().algorithm()).resolve(d.digest().hex());
    try (InputStream in = new VerifyingInputStream(Files.newInputStream(p), d, what)) {
      return in.readAllBytes();
    } catch (NoSuchFileException e) {
      throw new RegistryException("Blob " + d.digest() + " is missing from " + what);
    }
  }

  /** index.json with the entry named {@code tag} replaced by (or, when none, followed by) the new manifest. */
  private static byte[] withEntry(byte[] indexJson, String tag, Digest digest, long size) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(indexJson);
    ArrayNode manifests = root.has("manifests") ? (ArrayNode) root.get("manifests") : root.putArray("manifests");
    for (int i = manifests.size() - 1; i >= 0; i--) {
      if (tag.equals(manifests.get(i).path("annotations").path(LayoutIndex.REF_NAME).asText(null))) {
        manifests.remove(i);
      }
    }
    ObjectNode entry = manifests.addObject();
    entry.put("mediaType", MediaType.OCI_MANIFEST).put("digest", digest.toString()).put("size", size);
    entry.putObject("annotations").put(LayoutIndex.REF_NAME, tag);
    return JSON.writeValueAsBytes(root);
  }
}
