package io.github.syscontainers.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A content descriptor: what a manifest says about a blob it refers to.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">OCI descriptor</a>
 */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Map<String, String> annotations,
    Optional<Platform> platform) {

  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("Negative size " + size + " for " + digest);
    }
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(platform, "platform");
  }

  // equals and hashCode written out, as Digest's: a record's own are bound at their first call through an
  // invokedynamic bootstrap (6 ms of a copy's start)
  @Override
  public boolean equals(Object o) {
    return o instanceof Descriptor other && size == other.size && digest.equals(other.digest)
        && mediaType.equals(other.mediaType) && annotations.equals(other.annotations)
        && platform.equals(other.platform);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mediaType, digest, size, annotations, platform);
  }

  /** Returns a descriptor without annotations and platform. */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of(), Optional.empty());
  }
}
