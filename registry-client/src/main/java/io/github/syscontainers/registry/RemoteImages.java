package io.github.syscontainers.registry;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImageReference;
import java.util.List;

/**
 * What is done to an image in its registry rather than in the store: {@code images delete --remote}. The registry
 * is the one registries.conf sends the name to (its rewritten location; never a mirror, which only serves pulls).
 */
public final class RemoteImages {
  private RemoteImages() {}

  /**
   * Deletes the manifest {@code ref} names from its registry; returns the digest deleted.
   *
   * @throws RegistryException when the registry refuses (deletes disabled, no such tag, no right to delete), or a
   *     short name could mean several registries
   */
  public static Digest delete(SourceReference.Registry ref, SourceOptions options) throws RegistryException {
    RegistriesConf conf = options.host().registries();
    ImageReference target = ref.reference();
    if (RegistryEndpoints.isShortName(ref.userText())) {
      List<ImageReference> candidates = conf.shortName(ref.userText());
      if (candidates.size() > 1) {
        throw new RegistryException(
            "The short name " + ref.userText() + " could be in any of " + candidates + "; name the registry of the"
                + " image to delete");
      }
      if (!candidates.isEmpty()) {
        target = candidates.get(0);
      }
    }
    RegistriesConf.Endpoint primary = null;
    for (RegistriesConf.Endpoint e : conf.endpoints(target, ref.insecure())) {
      if (!e.mirror()) {
        primary = e;
      }
    }
    if (primary == null) {
      throw new RegistryException("registries.conf gives no location for " + target + "; nothing was deleted");
    }
    RegistrySource source =
        new RegistrySource(new SourceReference.Registry(primary.reference(), ref.userText(), primary.insecure()), options);
    try {
      return source.deleteManifest();
    } finally {
      source.close();
    }
  }
}
