package io.github.syscontainers.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A registry image reference: {@code registry/repository[:tag][@digest]}, normalised as Docker normalises it
 * ({@code docker.io} by default and {@code library/} for single-component names on Docker Hub).
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://github.com/distribution/reference/blob/main/reference.go">distribution/reference grammar</a>
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {

  /** The registry that a name without a registry component refers to. */
  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
  /** The distribution reference grammar's domain: dot-separated components, no empty one, none starting with "-". */
  private static final Pattern REGISTRY = Pattern.compile(
      "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
          + "|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
    if (!REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("Invalid registry host '" + registry + "'");
    }
    if (!REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException(
          "Invalid repository name '" + repository + "': use lower-case letters, digits and separators");
    }
    tag.ifPresent(
        t -> {
          if (!TAG.matcher(t).matches()) {
            throw new IllegalArgumentException("Invalid tag '" + t + "'");
          }
        });
  }

  /**
   * Parses a reference such as {@code busybox}, {@code quay.io/a/b:1} or {@code localhost:5000/x@sha256:…}. A name
   * with neither tag nor digest gets the tag {@code latest}.
   */
  public static ImageReference parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty() || text.length() > 4096) {
      throw new IllegalArgumentException("Invalid image reference '" + text + "'");
    }
    String rest = text;
    Optional<Digest> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(Digest.parse(rest.substring(at + 1)));
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0 && isRegistryHost(rest.substring(0, slash))) {
      registry = rest.substring(0, slash);
      rest = rest.substring(slash + 1);
    }
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && rest.indexOf('/') < 0) {
      rest = "library/" + rest;
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    try {
      return new ImageReference(registry, rest, tag, digest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid image reference '" + text + "': " + e.getMessage(), e);
    }
  }

  /** Returns true when the first path component names a registry: it has a dot or a port, or is localhost. */
  public static boolean isRegistryHost(String component) {
    return component.contains(".") || component.contains(":") || component.equals("localhost");
  }

  /** Returns {@code tag} or {@code digest}, whichever identifies the manifest; the digest wins. */
  public String manifestReference() {
    return digest.map(Digest::toString).orElseGet(() -> tag.orElse("latest"));
  }

  @Override
  public String toString() {
    return registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
