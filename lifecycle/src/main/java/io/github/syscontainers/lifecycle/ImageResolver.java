package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import java.util.Optional;

/**
 * Finds the image an install names: an image already in the store (by name, with {@code :latest} implied) when all
 * its layers are there, else a pull from the source the name gives (atomic's self-healing: a missing layer means a
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
    String plain = image.replaceFirst("^(docker://|https?:)", "");
    try {
      for (String candidate : new String[] {plain, withTag(plain)}) {
        Optional<StoredImage> found = store.findImage(candidate);
        if (found.isPresent() && complete(found.get())) {
          return found.get();
        }
      }
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    return pull(image, options, platform);
  }

  private boolean complete(StoredImage image) throws ObjectStoreException {
    for (Digest layer : image.layers()) {
      if (!store.hasLayer(layer)) {
        return false;
      }
    }
    return true;
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

  private static String withTag(String name) {
    int slash = name.lastIndexOf('/');
    return name.lastIndexOf(':') > slash || name.contains("@") ? name : name + ":latest";
  }
}
