package io.github.syscontainers.objectstore;

import io.github.syscontainers.objectstore.gvariant.Variant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.LinkedHashMap;

/**
 * An OSTree commit: metadata, optional parent, subject, body, timestamp (seconds since the epoch, UTC) and the root
 * directory's tree and meta objects.
 *
 * <p>Immutable and thread-safe.
 */
public record Commit(
    Map<String, Variant> metadata,
    Optional<ObjectId> parent,
    String subject,
    String body,
    long timestamp,
    ObjectId rootTree,
    ObjectId rootMeta) {

  public Commit {
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    for (String k : metadata.keySet()) {
      if (k.isEmpty()) {
        throw new IllegalArgumentException("Empty metadata key");
      }
    }
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(rootTree, "rootTree");
    Objects.requireNonNull(rootMeta, "rootMeta");
  }

  /** Returns the string value of metadata key {@code key}, if present and of type {@code s}. */
  public Optional<String> stringMetadata(String key) {
    Variant v = metadata.get(key);
    return v == null ? Optional.empty() : v.asString();
  }
}
