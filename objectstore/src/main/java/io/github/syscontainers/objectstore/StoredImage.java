package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image as the repository records it: the ref and commit of its image commit, the manifest text, the manifest
 * digest when known, its layers (base first) and config.
 *
 * <p>Immutable and thread-safe.
 */
public record StoredImage(
    String name,
    String ref,
    ObjectId commit,
    Instant created,
    String manifest,
    Optional<Digest> manifestDigest,
    List<Digest> layers,
    Optional<Digest> config) {

  public StoredImage {
    Objects.requireNonNull(name, "name");
    layers = List.copyOf(layers);
  }

  /**
   * Returns the image id as atomic computed it: the manifest digest, else the config digest, else the commit
   * checksum; always without the algorithm prefix.
   */
  public String imageId() {
    return manifestDigest.map(Digest::hex).or(() -> config.map(Digest::hex)).orElse(commit.hex());
  }
}
