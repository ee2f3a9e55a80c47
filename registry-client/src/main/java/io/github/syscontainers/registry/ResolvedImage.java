package io.github.syscontainers.registry;

import io.github.syscontainers.model.Digest;
import java.util.List;
import java.util.Optional;

/**
 * An image resolved to one platform: the exact manifest bytes and their digest, the parsed manifest, the config
 * bytes (verified against the manifest) and the parsed config, whose DiffIDs match the layers one to one.
 *
 * <p>An image that came from a schema 1 manifest is the exception: its DiffIDs are only known once its layers are
 * imported ({@link #diffIdsPending()}), so until then its config lists none, and {@link #completed} gives the
 * schema 2 image to store, as skopeo converted schema 1 images for atomic's repositories.
 *
 * @param schema1 the schema 1 manifest this image was converted from, while its DiffIDs are pending
 */
public record ResolvedImage(
    byte[] manifestBytes,
    Digest manifestDigest,
    Manifest.Image manifest,
    byte[] configBytes,
    ImageConfig config,
    Optional<Manifest.Schema1> schema1,
    Optional<TopManifest> top) {

  public ResolvedImage(
      byte[] manifestBytes, Digest manifestDigest, Manifest.Image manifest, byte[] configBytes, ImageConfig config) {
    this(manifestBytes, manifestDigest, manifest, configBytes, config, Optional.empty(), Optional.empty());
  }

  /**
   * The manifest the reference named (an index, when the image came out of one), which signatures sign; this
   * image's own manifest when no other was recorded.
   */
  public TopManifest topManifest() {
    return top.orElseGet(() -> new TopManifest(manifestBytes, manifestDigest));
  }

  /** This image, with the manifest its reference named recorded. */
  ResolvedImage withTop(TopManifest t) {
    return new ResolvedImage(manifestBytes, manifestDigest, manifest, configBytes, config, schema1, Optional.of(t));
  }

  /** True when the DiffIDs are learnt by importing the layers, and {@link #completed} must be called before storing. */
  public boolean diffIdsPending() {
    return schema1.isPresent();
  }

  /**
   * The schema 2 image with the DiffIDs the import measured, one per layer of {@link #manifest()}; this image itself
   * when its DiffIDs were known.
   */
  public ResolvedImage completed(List<Digest> diffIds) throws RegistryException {
    if (schema1.isEmpty()) {
      return this;
    }
    ResolvedImage converted = new Schema1Converter(schema1.get(), "the image").convert(manifest.layers(), diffIds);
    return top.isPresent() ? converted.withTop(top.get()) : converted;
  }
}
