package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.util.List;

/**
 * A parsed manifest: an image manifest (OCI or Docker schema 2), an index (OCI index or Docker manifest list), or a
 * legacy Docker schema 1 manifest, which is only read and converted.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">OCI image manifest</a>
 */
public sealed interface Manifest permits Manifest.Image, Manifest.Index, Manifest.Schema1 {

  /** Returns the media type the manifest was served or stored as. */
  String mediaType();

  /** An image manifest: a config and its layers, base first. */
  record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements Manifest {
    public Image {
      layers = List.copyOf(layers);
    }
  }

  /** An index of per-platform manifests. */
  record Index(String mediaType, List<Descriptor> manifests) implements Manifest {
    public Index {
      manifests = List.copyOf(manifests);
    }
  }

  /**
   * A Docker v2 schema 1 manifest (signed or not): layer blobs and their v1 history entries, both base first (the
   * manifest lists them top first). It carries no config and no sizes; {@link Schema1Converter} turns it into a
   * schema 2 image once the layers are imported.
   *
   * @param payloadDigest the digest registries give it: over the JWS payload, without the signatures
   */
  record Schema1(String mediaType, Digest payloadDigest, List<Digest> blobSums, List<String> v1Compatibility)
      implements Manifest {
    public Schema1 {
      blobSums = List.copyOf(blobSums);
      v1Compatibility = List.copyOf(v1Compatibility);
    }
  }
}
