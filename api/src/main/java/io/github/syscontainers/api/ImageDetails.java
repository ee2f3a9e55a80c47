package io.github.syscontainers.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image's report, as {@code images info} shows it.
 *
 * @param name its name in the store
 * @param labels its config's labels
 * @param defaults the template variables of its {@code /exports} files that have a default ({@code --set} overrides)
 * @param mustSet the template variables without a default, which an install must {@code --set}
 * @param signatures how many signatures are stored with it
 * @param pulled when it was stored
 * @param source where it was pulled from, when the pull recorded it
 * @param trust what accepted it (the policy's requirement), empty for images pulled before this was recorded
 */
public record ImageDetails(
    String name,
    Map<String, String> labels,
    Map<String, String> defaults,
    List<String> mustSet,
    int signatures,
    Instant pulled,
    Optional<String> source,
    String trust) {
  public ImageDetails {
    labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    defaults = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(defaults));
    mustSet = List.copyOf(mustSet);
  }
}
