package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import java.util.List;

/**
 * A parsed manifest: an image manifest (OCI or Docker schema 2) or an index (OCI index or Docker manifest list).
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">OCI image manifest</a>
 */
public sealed interface Manifest permits Manifest.Image, Manifest.Index {

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
}
