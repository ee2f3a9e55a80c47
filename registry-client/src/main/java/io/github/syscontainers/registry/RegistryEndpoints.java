package io.github.syscontainers.registry;

import io.github.syscontainers.model.ImageReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a registry reference into the source that serves it, through the host's registries.conf: a short name into
 * its alias or search-registry candidates, a blocked registry into an error, a rewritten prefix into its location,
 * and mirrors into a {@link MirroredSource}. Without configuration, the reference is its own only endpoint.
 */
final class RegistryEndpoints {
  private RegistryEndpoints() {}

  static ImageSource open(SourceReference.Registry ref, SourceOptions options) throws RegistryException {
    RegistriesConf conf = options.host().registries();
    List<ImageReference> candidates = isShortName(ref.userText()) ? conf.shortName(ref.userText()) : List.of();
    boolean shortName = !candidates.isEmpty();
    if (candidates.isEmpty()) {
      candidates = List.of(ref.reference());
    }
    List<RegistrySource> sources = new ArrayList<>();
    for (ImageReference candidate : candidates) {
      for (RegistriesConf.Endpoint e : conf.endpoints(candidate, ref.insecure())) {
        sources.add(new RegistrySource(
            new SourceReference.Registry(e.reference(), ref.userText(), e.insecure()), candidate, options));
      }
    }
    if (sources.size() == 1) {
      return sources.get(0);
    }
    return new MirroredSource(sources, !shortName, options.listener());
  }

  /** A name whose first component is no registry host: {@code busybox}, {@code team/app:1}. */
  static boolean isShortName(String text) {
    int slash = text.indexOf('/');
    return slash < 0 || !ImageReference.isRegistryHost(text.substring(0, slash));
  }
}
