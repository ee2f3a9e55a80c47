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
    Optional<Manifest.Schema1> schema1) {

  public ResolvedImage(
      byte[] manifestBytes, Digest manifestDigest, Manifest.Image manifest, byte[] configBytes, ImageConfig config) {
    this(manifestBytes, manifestDigest, manifest, configBytes, config, Optional.empty());
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
    return new Schema1Converter(schema1.get(), "the image").convert(manifest.layers(), diffIds);
  }
}
