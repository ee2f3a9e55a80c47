package io.github.syscontainers.trust;

import io.github.syscontainers.model.ImageReference;
import java.util.Optional;

/**
 * A Docker reference as the policy compares them: normalised ({@code busybox} is {@code docker.io/library/busybox}),
 * and knowing whether it carries a tag or a digest at all, which {@link ImageReference#parse} (implying
 * {@code :latest}) forgets. Signatures must name exact references; a name alone matches only repository rules.
 *
 * @param reference the parsed reference, {@code :latest} implied when {@code nameOnly}
 * @param nameOnly the text gave neither tag nor digest
 */
record DockerName(ImageReference reference, boolean nameOnly) {

  /** Parses a reference, or returns empty when it is not one. */
  static Optional<DockerName> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    int slash = text.lastIndexOf('/');
    boolean hasTag = text.lastIndexOf(':') > slash;
    boolean hasDigest = text.contains("@");
    try {
      return Optional.of(new DockerName(ImageReference.parse(text), !hasTag && !hasDigest));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The repository: {@code docker.io/library/busybox}. */
  String name() {
    return reference.registry() + "/" + reference.repository();
  }

  /** Whether the reference carries a tag (possibly with a digest too). */
  boolean tagged() {
    return !nameOnly && reference.tag().isPresent();
  }

  /** Whether the reference carries a digest and no tag. */
  boolean digestOnly() {
    return !nameOnly && reference.tag().isEmpty() && reference.digest().isPresent();
  }

  /** The reference in full: {@code name[:tag][@digest]}, the name alone when it is one. */
  @Override
  public String toString() {
    return nameOnly ? name() : reference.toString();
  }
}
