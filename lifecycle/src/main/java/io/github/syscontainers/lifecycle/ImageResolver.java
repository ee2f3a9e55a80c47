package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;

/**
 * Finds the image an install names: an image already in the store ({@link LocalImages}: the name as stored, or a
 * short name's local forms) when all its layers are there, else a pull from the source the name gives (atomic's self-healing: a missing layer means a
 * fresh pull). Archives and layouts are always read, since their names are only known from inside them; layers
 * already stored are not imported again.
 */
final class ImageResolver {
  private static final String[] LOCAL_TRANSPORTS = {"oci:", "oci-archive:", "docker-archive:", "dockertar:"};

  private final ImageStore store;

  ImageResolver(ImageStore store) {
    this.store = store;
  }

  StoredImage resolve(String image, SourceOptions options, Platform platform) throws LifecycleException {
    for (String t : LOCAL_TRANSPORTS) {
      if (image.startsWith(t)) {
        return pull(image, options, platform);
      }
    }
    String prefix = image.startsWith("docker://") ? "docker://" : image.startsWith("http:") ? "http:"
        : image.startsWith("https:") ? "https:" : "";
    String plain = image.substring(prefix.length()).replaceFirst("^//", "");
    LocalImages.Lookup local = new LocalImages(store, options.host().registries()).find(plain);
    if (local.image().isPresent()) {
      StoredImage found = local.image().get();
      if (complete(found)) {
        return found;
      }
      // atomic's self-healing: a layer is missing, so the image is pulled again from where its name says
      return pull(prefix + found.name(), options, platform);
    }
    try {
      return pull(image, options, platform);
    } catch (LifecycleException e) {
      throw new LifecycleException(
          "Image " + plain + " is not in the store (looked for " + local.describe() + ") and pulling it failed: "
              + e.getMessage(),
          e, e.exitCode());
    }
  }

  private boolean complete(StoredImage image) throws LifecycleException {
    try {
      for (Digest layer : image.layers()) {
        if (!store.hasLayer(layer)) {
          return false;
        }
      }
      return true;
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** Pulls {@code image} from its source, whatever the store holds. */
  StoredImage pull(String image, SourceOptions options, Platform platform) throws LifecycleException {
    SourceReference ref;
    try {
      ref = SourceReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    return new Puller(store).pull(ref, options, platform);
  }

}
