package io.github.syscontainers.registry;

import io.github.syscontainers.model.TransferEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one resolved image to a destination, as {@code skopeo copy} does: the config and each layer streamed from
 * the source (verified while they flow) to the destination, then the manifest. Layers go as they are when the
 * destination takes them so, and then the manifest goes byte for byte, with its digest (and so its signatures)
 * kept; otherwise they are compressed (an uncompressed layer to a registry or OCI layout), decompressed (to a
 * docker-archive, whose layers are their DiffIDs' tars, checked against them) or recompressed
 * ({@link Options#compression}), and the manifest is rewritten with the new descriptors. A Docker schema 2 manifest
 * becomes an OCI one for an OCI destination, as containers/image converts it.
 *
 * <p>A blob the destination holds is not sent again; a registry blob in another repository of the same registry is
 * mounted. An upload the registry broke off (a 5xx, a dropped connection) is sent again from a new read of the
 * source, up to three times.
 */
public final class ImageCopier {
  private static final Logger LOG = LoggerFactory.getLogger(ImageCopier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  private static final int UPLOAD_ATTEMPTS = 3;

  /** Layer compression a copy may ask for, as skopeo's {@code --dest-compress-format}. */
  public enum Compression {
    GZIP,
    /** zstd (zstd-jni's libzstd, level 3); its layers need an OCI manifest, so a Docker one is converted. */
    ZSTD,
    /**
     * zstd:chunked (each file a zstd frame of its own, with a table of contents, for partial pulls), written by the
     * {@link Options#chunked} encoder; an OCI manifest, as for zstd.
     */
    ZSTD_CHUNKED
  }

  /** Annotations of a zstd:chunked or eStargz layer, stale once the layer is recompressed. */
  private static final List<String> CHUNKED_ANNOTATIONS = List.of(
      "io.github.containers.zstd-chunked.manifest-checksum", "io.github.containers.zstd-chunked.manifest-position",
      "io.github.containers.zstd-chunked.tarsplit-position", "io.containers.zstd-chunked.manifest-checksum",
      "io.containers.zstd-chunked.manifest-position", "containerd.io/snapshot/stargz/toc.digest",
      "io.containers.estargz.uncompressed-size");

  /** Writes a layer's uncompressed tar in a format whose writer lives with the store (zstd:chunked). */
  @FunctionalInterface
  public interface ChunkedEncoder {
    /** Reads {@code tar} to its end and writes the blob to {@code out}; returns the layer descriptor's annotations. */
    Map<String, String> encode(InputStream tar, java.io.OutputStream out) throws IOException;
  }

  /**
   * How to copy.
   *
   * @param names what the image is to be known by at the destination (tags, ref names, RepoTags)
   * @param compression recompress every layer to this format, when present
   * @param listener hears each blob start, progress and end
   */
  public record Options(List<String> names, Optional<Compression> compression, TransferListener listener,
      Optional<ChunkedEncoder> chunked) {
    public Options {
      names = List.copyOf(names);
      if (compression.equals(Optional.of(Compression.ZSTD_CHUNKED)) && chunked.isEmpty()) {
        throw new IllegalArgumentException("zstd:chunked needs its encoder");
      }
    }

    /** Options without a zstd:chunked encoder. */
    public Options(List<String> names, Optional<Compression> compression, TransferListener listener) {
      this(names, compression, listener, Optional.empty());
    }

    /** These options with other names. */
    public Options named(List<String> other) {
      return new Options(other, compression, listener, chunked);
    }
  }

  /** What one blob of the copy did. */
  public enum BlobAction {
    /** The destination had it. */
    PRESENT,
    /** Mounted from another repository of the registry. */
    MOUNTED,
    /** Sent as it was. */
    COPIED,
    /** Compressed, decompressed or recompressed on the way: a new digest. */
    CONVERTED
  }

  /** One blob of a copy: as the source had it, as the destination has it, and what was done. */
  public record BlobCopy(Descriptor source, Descriptor destination, BlobAction action) {}

  /**
   * The result: the manifest as written (its digest equals the source's when {@code manifestKept}).
   *
   * @param manifestKept whether the source's manifest went byte for byte
   */
  public record Result(Digest manifestDigest, String mediaType, byte[] manifest, boolean manifestKept,
      List<BlobCopy> blobs) {}

  private ImageCopier() {}

  /**
   * Copies {@code image}, read from {@code source} (a registry image {@code from} names, for mounts), to
   * {@code dest}. Does not commit the destination, so several images can go to one archive.
   */
  public static Result copy(BlobReader source, Optional<SourceReference> from, ResolvedImage image,
      ImageDestination dest, Options options) throws RegistryException {
    return copy(source, from, image, dest, options, false);
  }

  /**
   * Copies every image the index {@code top} names ({@code copy --all}), each as {@link #copy} copies one, then the
   * index: byte for byte when every image's manifest went so (its digest kept), else with the entries' new
   * descriptors (a Docker manifest list becomes an OCI index for an OCI destination). Does not commit.
   */
  public static Result copyIndex(ImageSource source, Optional<SourceReference> from, TopManifest top,
      ImageDestination dest, Options options) throws RegistryException {
    Manifest parsed = ManifestParser.parse(top.bytes(), "", "the index");
    if (!(parsed instanceof Manifest.Index)) {
      throw new IllegalArgumentException("not an index: " + top.digest());
    }
    Manifest.Index index = (Manifest.Index) parsed;
    boolean toOci = dest.ociOnly() && !index.mediaType().equals(MediaType.OCI_INDEX);
    String indexType = toOci ? MediaType.OCI_INDEX : index.mediaType();
    List<BlobCopy> entries = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      ResolvedImage child = source.resolveChild(entry);
      Result r = copy(source, from, child, dest, options.named(List.of()), true);
      entries.add(new BlobCopy(entry, new Descriptor(r.mediaType(), r.manifestDigest(), r.manifest().length,
          entry.annotations(), entry.platform()), r.manifestKept() ? BlobAction.COPIED : BlobAction.CONVERTED));
    }
    boolean kept = !toOci && entries.stream().allMatch(b -> b.source().equals(b.destination()));
    byte[] bytes = kept ? top.bytes() : rewriteIndex(top.bytes(), indexType, entries);
    Digest digest = kept ? top.digest() : Digest.sha256Of(bytes);
    dest.putManifest(bytes, indexType, digest, options.names());
    return new Result(digest, indexType, bytes, kept, List.copyOf(entries));
  }

  private static Result copy(BlobReader source, Optional<SourceReference> from, ResolvedImage image,
      ImageDestination dest, Options options, boolean child) throws RegistryException {
    if (image.diffIdsPending()) {
      throw new RegistryException("The image is a Docker schema 1 image; copy cannot convert it yet. Pull it and"
          + " save it from the store, or push it again with a current tool");
    }
    Manifest.Image m = image.manifest();
    boolean toOci = needsOci(m.mediaType(), dest, options);
    String manifestType = toOci ? MediaType.OCI_MANIFEST : m.mediaType();
    List<BlobCopy> blobs = new ArrayList<>();

    Descriptor config = m.config();
    Descriptor configOut = toOci ? retyped(config, MediaType.OCI_CONFIG) : config;
    blobs.add(new BlobCopy(config, configOut, sendAsIs(source, from, config, configOut, dest, options.listener())));

    List<Digest> diffIds = image.config().diffIds();
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor layer = m.layers().get(i);
      blobs.add(layer(source, from, layer, diffIds.get(i), dest, toOci, options));
    }

    boolean kept = !toOci && blobs.stream().allMatch(b -> b.source().equals(b.destination()));
    byte[] manifest = kept ? image.manifestBytes() : rewrite(image.manifestBytes(), manifestType, blobs);
    Digest digest = kept ? image.manifestDigest() : Digest.sha256Of(manifest);
    if (child) {
      dest.putChildManifest(manifest, manifestType, digest);
    } else {
      dest.putManifest(manifest, manifestType, digest, options.names());
    }
    LOG.debug("copied {} to {} as {}{}", image.manifestDigest(), dest.describe(), digest, kept ? " (kept)" : "");
    return new Result(digest, manifestType, manifest, kept, List.copyOf(blobs));
  }

  /**
   * Whether {@link #copy} would send {@code image}'s manifest byte for byte to {@code dest} (so that signatures of it
   * stay valid): no conversion to OCI, and every layer taken as it is.
   */
  public static boolean keepsManifest(ResolvedImage image, ImageDestination dest, Options options) {
    if (needsOci(image.manifest().mediaType(), dest, options)) {
      return false;
    }
    for (Descriptor l : image.manifest().layers()) {
      String type = l.mediaType();
      boolean gzip = type.endsWith("gzip");
      boolean plain = type.equals(MediaType.OCI_LAYER) || type.equals(DOCKER_LAYER);
      boolean recompress = options.compression().isPresent() && !alreadyIn(options.compression().get(), l);
      boolean compress = dest.layerCompression() == ImageDestination.LayerCompression.COMPRESS && plain;
      boolean decompress = dest.layerCompression() == ImageDestination.LayerCompression.DECOMPRESS && !plain;
      if (recompress || compress || decompress) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code layer} is compressed as {@code c} asks already. */
  private static boolean alreadyIn(Compression c, Descriptor layer) {
    String type = layer.mediaType();
    switch (c) {
      case GZIP:
        return type.endsWith("gzip");
      case ZSTD:
        return type.endsWith("zstd");
      default:
        return type.endsWith("zstd") && layer.annotations().containsKey(CHUNKED_ANNOTATIONS.get(0));
    }
  }

  /** An OCI destination, or zstd asked for (Docker schema 2 has no zstd layer type), makes the manifest OCI. */
  private static boolean needsOci(String manifestType, ImageDestination dest, Options options) {
    return !manifestType.equals(MediaType.OCI_MANIFEST) && (dest.ociOnly() || options.compression()
        .filter(c -> c == Compression.ZSTD || c == Compression.ZSTD_CHUNKED).isPresent());
  }

  private static BlobCopy layer(BlobReader source, Optional<SourceReference> from, Descriptor layer, Digest diffId,
      ImageDestination dest, boolean toOci, Options options) throws RegistryException {
    String type = layer.mediaType();
    boolean gzip = type.endsWith("gzip");
    boolean zstd = type.endsWith("zstd");
    boolean plain = type.equals(MediaType.OCI_LAYER) || type.equals(DOCKER_LAYER);
    if (!gzip && !zstd && !plain) {
      throw new RegistryException("Layer " + layer.digest() + " has the media type " + type + ", which copy does not"
          + " handle (foreign or encrypted layers are not copied); nothing was written");
    }
    boolean oci = toOci || type.startsWith("application/vnd.oci.");
    String gzipType = oci ? MediaType.OCI_LAYER_GZIP : MediaType.DOCKER_LAYER_GZIP;
    String plainType = oci ? MediaType.OCI_LAYER : DOCKER_LAYER;
    Filter decompress = in -> gzip ? new GZIPInputStream(in, 1 << 16) : zstd ? new ZstdInputStream(in) : in;
    if (dest.layerCompression() == ImageDestination.LayerCompression.DECOMPRESS && !plain) {
      Descriptor out = convert(source, layer, dest, plainType, options.listener(), decompress);
      if (!out.digest().equals(diffId)) {
        throw new RegistryException("Layer " + layer.digest() + " decompresses to " + out.digest() + ", not the DiffID "
            + diffId + " its config gives; the image is corrupt, nothing usable was written");
      }
      return new BlobCopy(layer, out, BlobAction.CONVERTED);
    }
    Compression want = options.compression().orElse(
        dest.layerCompression() == ImageDestination.LayerCompression.COMPRESS && plain ? Compression.GZIP : null);
    if (want == Compression.GZIP && !gzip) {
      Descriptor out = convert(source, layer, dest, gzipType, options.listener(),
          in -> new GzipCompressingInputStream(decompress.apply(in), Deflater.DEFAULT_COMPRESSION));
      return new BlobCopy(layer, out, BlobAction.CONVERTED);
    }
    if (want == Compression.ZSTD && !zstd) {
      Descriptor out = convert(source, layer, dest, MediaType.OCI_LAYER_ZSTD, options.listener(),
          in -> zstdCompressed(decompress.apply(in)));
      return new BlobCopy(layer, out, BlobAction.CONVERTED);
    }
    if (want == Compression.ZSTD_CHUNKED && !alreadyIn(want, layer)) {
      java.util.concurrent.atomic.AtomicReference<Map<String, String>> annotations =
          new java.util.concurrent.atomic.AtomicReference<>(Map.of());
      ChunkedEncoder encoder = options.chunked().orElseThrow();
      Descriptor written = convert(source, layer, dest, MediaType.OCI_LAYER_ZSTD, options.listener(),
          in -> StreamPipe.start("zstd:chunked", out -> {
            try (InputStream tar = decompress.apply(in)) {
              annotations.set(encoder.encode(tar, out));
            }
          }));
      Descriptor out = new Descriptor(written.mediaType(), written.digest(), written.size(), annotations.get(),
          written.platform());
      return new BlobCopy(layer, out, BlobAction.CONVERTED);
    }
    Descriptor out = toOci ? retyped(layer, gzip ? MediaType.OCI_LAYER_GZIP : zstd ? MediaType.OCI_LAYER_ZSTD
        : MediaType.OCI_LAYER) : layer;
    return new BlobCopy(layer, out, sendAsIs(source, from, layer, out, dest, options.listener()));
  }

  /** {@code in} zstd-compressed (level 3, libzstd's default), compressed on a thread of its own as it is read. */
  private static InputStream zstdCompressed(InputStream in) {
    return StreamPipe.start("zstd", out -> {
      try (in; ZstdOutputStream z = new ZstdOutputStream(out, 3)) {
        in.transferTo(z);
      }
    });
  }

  @FunctionalInterface
  private interface Filter {
    InputStream apply(InputStream in) throws IOException;
  }

  private static Descriptor convert(BlobReader source, Descriptor layer, ImageDestination dest, String type,
      TransferListener listener, Filter filter) throws RegistryException {
    for (int attempt = 1; ; attempt++) {
      listener.on(new TransferEvent.Started(layer));
      try (InputStream in = filter.apply(ahead(new ProgressStream(source.openBlob(layer), layer, listener), layer))) {
        Descriptor out = dest.putNewBlob(type, in);
        listener.on(new TransferEvent.Verified(layer));
        return out;
      } catch (RegistryDestination.UploadInterrupted e) {
        if (attempt >= UPLOAD_ATTEMPTS) {
          throw failed(layer, e, attempt);
        }
        LOG.info("upload of {} broke off ({}); sending it again", layer.digest(), e.getMessage());
      } catch (RegistryException e) {
        listener.on(new TransferEvent.Failed(layer, e.getMessage()));
        throw e;
      } catch (IOException e) {
        listener.on(new TransferEvent.Failed(layer, e.toString()));
        throw new RegistryException("Tried to convert layer " + layer.digest() + " for " + dest.describe()
            + " but failed: " + e.getMessage(), e);
      }
    }
  }

  private static BlobAction sendAsIs(BlobReader source, Optional<SourceReference> from, Descriptor blob, Descriptor out,
      ImageDestination dest, TransferListener listener) throws RegistryException {
    if (dest.hasBlob(out)) {
      listener.on(new TransferEvent.Present(blob));
      return BlobAction.PRESENT;
    }
    if (from.isPresent() && dest.mountBlob(out, from.get())) {
      listener.on(new TransferEvent.Present(blob));
      return BlobAction.MOUNTED;
    }
    for (int attempt = 1; ; attempt++) {
      listener.on(new TransferEvent.Started(blob));
      try (InputStream in = ahead(new ProgressStream(source.openBlob(blob), blob, listener), blob)) {
        dest.putBlob(out, in);
        listener.on(new TransferEvent.Verified(blob));
        return BlobAction.COPIED;
      } catch (RegistryDestination.UploadInterrupted e) {
        if (attempt >= UPLOAD_ATTEMPTS) {
          throw failed(blob, e, attempt);
        }
        LOG.info("upload of {} broke off ({}); sending it again", blob.digest(), e.getMessage());
      } catch (RegistryException e) {
        listener.on(new TransferEvent.Failed(blob, e.getMessage()));
        throw e;
      } catch (IOException e) {
        listener.on(new TransferEvent.Failed(blob, e.toString()));
        throw new RegistryException("Tried to copy blob " + blob.digest() + " to " + dest.describe() + " but failed: "
            + e.getMessage(), e);
      }
    }
  }

  /**
   * A blob over 1 MiB read (and verified) ahead on a thread of its own, so that reading the source and hashing
   * overlap with writing to the destination; small ones as they are.
   */
  private static InputStream ahead(InputStream in, Descriptor blob) {
    return blob.size() > (1 << 20) ? StreamPipe.readAhead("read " + blob.digest().hex().substring(0, 12), in) : in;
  }

  private static RegistryException failed(Descriptor blob, RegistryException e, int attempts) {
    return new RegistryException(e.getMessage() + " (" + attempts + " attempts); try again later, the image was not"
        + " pushed", e);
  }

  private static Descriptor retyped(Descriptor d, String type) {
    return new Descriptor(type, d.digest(), d.size(), d.annotations(), d.platform());
  }

  /** The manifest with the blobs' new descriptors and media type; every other field kept. */
  private static byte[] rewrite(byte[] original, String mediaType, List<BlobCopy> blobs) throws RegistryException {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(original);
      if (root.has("mediaType") || !mediaType.equals(MediaType.OCI_MANIFEST)) {
        root.put("mediaType", mediaType);
      }
      set((ObjectNode) root.get("config"), blobs.get(0).destination());
      ArrayNode layers = (ArrayNode) root.get("layers");
      for (int i = 0; i < layers.size(); i++) {
        BlobCopy b = blobs.get(i + 1);
        ObjectNode layer = (ObjectNode) layers.get(i);
        set(layer, b.destination());
        if (b.action() == BlobAction.CONVERTED) {
          annotate(layer, b.destination().annotations());
        }
      }
      return JSON.writeValueAsBytes(root);
    } catch (IOException | ClassCastException | NullPointerException e) {
      throw new RegistryException("Cannot rewrite the manifest for the destination: " + e, e);
    }
  }

  /** The index with its entries' new descriptors and media type; every other field kept. */
  private static byte[] rewriteIndex(byte[] original, String mediaType, List<BlobCopy> entries)
      throws RegistryException {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(original);
      if (root.has("mediaType") || !mediaType.equals(MediaType.OCI_INDEX)) {
        root.put("mediaType", mediaType);
      }
      ArrayNode manifests = (ArrayNode) root.get("manifests");
      for (int i = 0; i < manifests.size(); i++) {
        set((ObjectNode) manifests.get(i), entries.get(i).destination());
      }
      return JSON.writeValueAsBytes(root);
    } catch (IOException | ClassCastException | NullPointerException e) {
      throw new RegistryException("Cannot rewrite the index for the destination: " + e, e);
    }
  }

  /**
   * A recompressed layer's annotations: a zstd:chunked or eStargz layer's no longer hold (they locate its table of
   * contents), and the new ones its encoder gave are added.
   */
  private static void annotate(ObjectNode layer, Map<String, String> added) {
    ObjectNode a = layer.get("annotations") instanceof ObjectNode ? (ObjectNode) layer.get("annotations") : null;
    if (a != null) {
      CHUNKED_ANNOTATIONS.forEach(a::remove);
    }
    if (!added.isEmpty()) {
      if (a == null) {
        a = layer.putObject("annotations");
      }
      for (Map.Entry<String, String> e : added.entrySet()) {
        a.put(e.getKey(), e.getValue());
      }
    }
    if (a != null && a.isEmpty()) {
      layer.remove("annotations");
    }
  }

  private static void set(ObjectNode n, Descriptor d) {
    n.put("mediaType", d.mediaType());
    n.put("size", d.size());
    n.put("digest", d.digest().toString());
  }

}
