package io.github.syscontainers.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.LayerTarExporter;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.BlobReader;
import io.github.syscontainers.registry.ImageConfig;
import io.github.syscontainers.registry.Manifest;
import io.github.syscontainers.registry.ManifestParser;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.ResolvedImage;
import io.github.syscontainers.registry.StreamPipe;
import io.github.syscontainers.registry.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An image of the store as the source of a copy ({@code save}, {@code push}, {@code copy ostree:NAME}), as skopeo's
 * {@code ostree:} transport read atomic's: its config as stored, and each layer's uncompressed tar rebuilt byte for
 * byte from the layer's tar-split record ({@link LayerTarExporter}, on a thread of its own), verified against the
 * DiffID as it flows. The compressed blobs are not kept, so the image's manifest names the uncompressed layers
 * (DiffID and size); the destination compresses them again where it wants them compressed, which gives new layer and
 * manifest digests, while the config and its DiffIDs stay the same.
 *
 * <p>When the store kept every layer's compressed blob ({@code keep-blobs=true}), the image goes as it was pulled:
 * its manifest, and so its digest and signatures, unchanged.
 *
 * <p>A layer stored without a record (pulled before {@code keep-tar-split=true} was set) is exported as a tar of its
 * stored files ({@link LayerTarExporter#writeFromTree}), hashed once beforehand to learn its DiffID: the config then
 * names those DiffIDs, so its digest differs from the pulled image's, and a notice says so.
 */
final class StoreExport implements BlobReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";

  private final ResolvedImage image;
  private final LayerTarExporter exporter;
  private final Map<Digest, Digest> layerOfDiffId;
  /** The layers (by the DiffID they are exported with) written from their trees, without a record. */
  private final java.util.Set<Digest> fromTree;
  /** The kept compressed blobs, by digest, when the store kept every layer's ({@code keep-blobs=true}). */
  private final Map<Digest, java.nio.file.Path> kept;

  private StoreExport(ResolvedImage image, LayerTarExporter exporter, Map<Digest, Digest> layerOfDiffId,
      java.util.Set<Digest> fromTree, Map<Digest, java.nio.file.Path> kept) {
    this.image = image;
    this.exporter = exporter;
    this.layerOfDiffId = layerOfDiffId;
    this.fromTree = fromTree;
    this.kept = kept;
  }

  /**
   * The export of {@code stored}.
   *
   * @param notices hears which layers have no record, and what that changes
   */
  static StoreExport of(ImageStore store, StoredImage stored, NoticeListener notices) throws LifecycleException {
    String what = "the stored image " + stored.name();
    try {
      LayerTarExporter exporter = new LayerTarExporter(store.repository());
      Digest configDigest = stored.config().orElseThrow(() -> new LifecycleException(what + " records no config;"
          + " pull it again"));
      byte[] config = store.readConfig(configDigest).orElseThrow(() -> new LifecycleException(
          "The config " + configDigest + " of " + what + " is not in the store; pull the image again"));
      Manifest parsed = ManifestParser.parse(stored.manifest().getBytes(StandardCharsets.UTF_8), "", what);
      if (!(parsed instanceof Manifest.Image)) {
        throw new LifecycleException(what + " records a manifest that is not an image manifest; pull it again");
      }
      Manifest.Image m = (Manifest.Image) parsed;
      Map<Digest, java.nio.file.Path> kept = new HashMap<>();
      for (Descriptor l : m.layers()) {
        store.keptBlob(l.digest()).ifPresent(p -> kept.put(l.digest(), p));
      }
      if (kept.size() == m.layers().size()) {
        // every compressed blob kept (keep-blobs=true): the image as it was pulled, its manifest digest kept
        byte[] manifest = stored.manifest().getBytes(StandardCharsets.UTF_8);
        ResolvedImage resolved = new ResolvedImage(manifest, stored.manifestDigest().orElse(Digest.sha256Of(manifest)),
            m, config, ImageConfig.parse(config));
        return new StoreExport(resolved, exporter, Map.of(), java.util.Set.of(), kept);
      }
      boolean oci = m.mediaType().equals(MediaType.OCI_MANIFEST);
      ObjectNode root = (ObjectNode) JSON.readTree(stored.manifest());
      ArrayNode layers = (ArrayNode) root.get("layers");
      Map<Digest, Digest> layerOf = new HashMap<>();
      java.util.Set<Digest> fromTree = new java.util.HashSet<>();
      ObjectNode configJson = (ObjectNode) JSON.readTree(config);
      for (int i = 0; i < m.layers().size(); i++) {
        Digest layer = m.layers().get(i).digest();
        Digest diffId = store.layerDiffId(layer).orElseThrow(() -> new LifecycleException(
            "The layer " + layer + " of " + what + " is not in the store; pull the image again"));
        long size = store.layerUncompressedSize(layer).orElseThrow(() -> new LifecycleException(
            "The layer " + layer + " of " + what + " records no uncompressed size; pull the image again"));
        if (!exporter.hasRecord(layer)) {
          // no record: a tar of the stored files, hashed now for the DiffID the config and manifest will name
          BlobMeasure measured = new BlobMeasure();
          exporter.writeFromTree(layer, measured);
          diffId = measured.digest();
          size = measured.size();
          fromTree.add(diffId);
          ((ArrayNode) configJson.path("rootfs").path("diff_ids")).set(i, diffId.toString());
        }
        layerOf.put(diffId, layer);
        ObjectNode l = (ObjectNode) layers.get(i);
        l.put("mediaType", oci ? MediaType.OCI_LAYER : DOCKER_LAYER);
        l.put("digest", diffId.toString());
        l.put("size", size);
      }
      if (!fromTree.isEmpty()) {
        config = JSON.writeValueAsBytes(configJson);
        ObjectNode c = (ObjectNode) root.get("config");
        c.put("digest", Digest.sha256Of(config).toString());
        c.put("size", config.length);
        int n = m.layers().size();
        notices.notice(Notice.warning(what + ": " + (fromTree.size() == n ? (n == 1 ? "its layer was" : "its " + n
            + " layers were") : fromTree.size() + " of its " + n + " layers were") + " stored without a tar-split"
            + " record, so the export rebuilds them from their files: their DiffIDs, and the config's digest, differ"
            + " from the pulled image's (set keep-tar-split=true in the [syscontainers] group of "
            + store.repository().path().resolve("config") + " before pulling to keep them byte for byte)"));
      }
      byte[] manifest = JSON.writeValueAsBytes(root);
      Manifest.Image image = (Manifest.Image) ManifestParser.parse(manifest, m.mediaType(), what);
      ResolvedImage resolved =
          new ResolvedImage(manifest, Digest.sha256Of(manifest), image, config, ImageConfig.parse(config));
      return new StoreExport(resolved, exporter, layerOf, fromTree, Map.of());
    } catch (ObjectStoreException | RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException | ClassCastException | NullPointerException e) {
      throw new LifecycleException("Cannot read the manifest of " + what + ": " + e, e);
    }
  }

  /** The image as it is exported: its manifest names the uncompressed layers. */
  ResolvedImage image() {
    return image;
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws RegistryException {
    if (blob.digest().equals(image.manifest().config().digest())) {
      return new VerifyingInputStream(new ByteArrayInputStream(image.configBytes()), blob, "the store");
    }
    java.nio.file.Path keptBlob = kept.get(blob.digest());
    if (keptBlob != null) {
      try {
        return new VerifyingInputStream(java.nio.file.Files.newInputStream(keptBlob), blob, "the store's kept blobs");
      } catch (IOException e) {
        throw new RegistryException("Cannot read the kept blob " + keptBlob + ": " + e.getMessage(), e);
      }
    }
    Digest layer = layerOfDiffId.get(blob.digest());
    if (layer == null) {
      throw new RegistryException("The store holds no layer with the DiffID " + blob.digest() + " for this image");
    }
    // rebuilt on a thread of its own, as it is read
    boolean tree = fromTree.contains(blob.digest());
    InputStream tar = StreamPipe.start("tar of " + layer.hex().substring(0, 12), out -> {
      if (tree) {
        exporter.writeFromTree(layer, out);
      } else {
        exporter.write(layer, out);
      }
    });
    return new VerifyingInputStream(tar, blob, "the tar rebuilt from the store");
  }

  /** Counts and hashes what is written to it, and keeps nothing. */
  private static final class BlobMeasure extends java.io.OutputStream {
    private final java.security.MessageDigest sha = Digest.newSha256();
    private long size;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      sha.update(b, off, len);
      size += len;
    }

    Digest digest() {
      return Digest.sha256(sha.digest());
    }

    long size() {
      return size;
    }
  }
}
