package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Platform;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the manifest for a platform out of an index, as containers/image does: os and architecture must match; a
 * wanted variant must match exactly, no wanted variant prefers an entry without one; attestation entries
 * ({@code unknown/unknown}) are skipped; ties go to the earliest entry.
 */
public final class PlatformSelector {
  private PlatformSelector() {}

  /** Returns the chosen descriptor, or fails naming the platforms on offer. */
  public static Descriptor select(Manifest.Index index, Platform wanted, String what) throws RegistryException {
    List<Descriptor> candidates =
        index.manifests().stream()
            .filter(d -> d.platform().map(p -> !p.os().equals("unknown")).orElse(true))
            .collect(Collectors.toList());
    Optional<Descriptor> exact =
        candidates.stream()
            .filter(d -> d.platform().map(p -> matches(p, wanted) && p.variant().equals(wanted.variant())).orElse(false))
            .findFirst();
    if (exact.isPresent()) {
      return exact.get();
    }
    if (wanted.variant().isEmpty()) {
      Optional<Descriptor> anyVariant =
          candidates.stream().filter(d -> d.platform().map(p -> matches(p, wanted)).orElse(false)).findFirst();
      if (anyVariant.isPresent()) {
        return anyVariant.get();
      }
    }
    List<Descriptor> unlabelled = candidates.stream().filter(d -> d.platform().isEmpty()).toList();
    if (unlabelled.size() == 1 && candidates.size() == 1) {
      return unlabelled.get(0);
    }
    String offered =
        candidates.stream()
            .map(d -> d.platform().map(Platform::toString).orElse("(no platform)"))
            .collect(Collectors.joining(", "));
    throw new RegistryException(
        "No image for platform " + wanted + " in " + what + "; it offers: " + (offered.isEmpty() ? "nothing" : offered)
            + ". Choose one with --platform");
  }

  private static boolean matches(Platform p, Platform wanted) {
    return p.os().equals(wanted.os()) && p.architecture().equals(wanted.architecture());
  }
}
