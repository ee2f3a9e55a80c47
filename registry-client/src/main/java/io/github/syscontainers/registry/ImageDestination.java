package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.io.Closeable;
import java.io.InputStream;
import java.util.List;

/**
 * A place to write images to, as containers/image's destinations are: a registry ({@code docker://}), an OCI layout
 * ({@code oci:}), an oci-archive, a docker-archive, a {@code dir:}. Blobs go first, then each image's manifest with
 * the names it is to be known by; nothing is visible under the destination's name before {@link #commit}, and
 * {@link #close} without a commit discards what was written (an archive is complete or absent).
 *
 * <p>Several images may be written to one destination before the commit (a multi-image archive): a blob they share
 * is stored once. Not thread-safe.
 */
public sealed interface ImageDestination extends Closeable
    permits RegistryDestination, OciLayoutDestination, OciArchiveDestination, DockerArchiveDestination,
        DirDestination {

  /** What the destination wants done to layers on the way in. */
  enum LayerCompression {
    /** Layers as they come (dir:). */
    PRESERVE,
    /** Uncompressed layers gzip-compressed, compressed ones as they come (registries, OCI layouts). */
    COMPRESS,
    /** Layers uncompressed (docker-archive, whose layers are the tars their DiffIDs name). */
    DECOMPRESS
  }

  /** Opens the destination a reference names; nothing is written until the first blob. */
  static ImageDestination open(SourceReference ref, SourceOptions options) throws RegistryException {
    if (ref instanceof SourceReference.Registry) {
      return new RegistryDestination((SourceReference.Registry) ref, options);
    }
    if (ref instanceof SourceReference.OciLayout) {
      return new OciLayoutDestination(((SourceReference.OciLayout) ref).directory());
    }
    if (ref instanceof SourceReference.OciArchive) {
      return OciArchiveDestination.create(((SourceReference.OciArchive) ref).file());
    }
    if (ref instanceof SourceReference.Dir) {
      return new DirDestination(((SourceReference.Dir) ref).directory());
    }
    return DockerArchiveDestination.create(((SourceReference.DockerArchive) ref).file());
  }

  /** Names the destination in messages: {@code the oci-archive /tmp/app.tar}. */
  String describe();

  LayerCompression layerCompression();

  /** True when only OCI manifests can be stored (OCI layouts and archives): Docker schema 2 ones are converted. */
  default boolean ociOnly() {
    return false;
  }

  /** True when the destination holds the blob already (a registry's HEAD, a layout's file, an archive's entry). */
  boolean hasBlob(Descriptor blob) throws RegistryException;

  /**
   * Offers to take the blob from another repository of the same registry without its bytes (a cross-repository
   * mount). Returns true when it was taken so.
   */
  default boolean mountBlob(Descriptor blob, SourceReference from) throws RegistryException {
    return false;
  }

  /** Stores a blob whose descriptor is known, from a stream the caller has made verify it. */
  void putBlob(Descriptor blob, InputStream in) throws RegistryException;

  /**
   * Stores a blob whose digest and size are learnt while it flows (a layer compressed or decompressed on the way).
   *
   * @return its descriptor, with {@code mediaType}
   */
  Descriptor putNewBlob(String mediaType, InputStream in) throws RegistryException;

  /**
   * Stores an image's manifest (its config and layers are stored already) under {@code names}: tags for a registry,
   * {@code org.opencontainers.image.ref.name} values for an OCI layout or archive, {@code RepoTags} for a
   * docker-archive. {@code names} may be empty (an untagged image).
   */
  void putManifest(byte[] manifest, String mediaType, Digest digest, List<String> names) throws RegistryException;

  /**
   * Stores the manifest of an image an index names ({@code copy --all}): as a blob of an OCI layout or archive (no
   * entry of its own in index.json), by digest in a registry, as {@code HEX.manifest.json} in {@code dir:}.
   */
  default void putChildManifest(byte[] manifest, String mediaType, Digest digest) throws RegistryException {
    throw new RegistryException(describe() + " cannot hold an index: copy one platform (without --all), or copy to"
        + " docker://, oci:, oci-archive: or dir:");
  }

  /** Makes what was written visible under the destination's name. */
  void commit() throws RegistryException;

  /** Discards what was written unless it was committed. */
  @Override
  void close() throws RegistryException;
}
