package io.github.syscontainers.registry;

import io.github.syscontainers.model.ImageReference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an image comes from, parsed from the transports skopeo and atomic users write: {@code docker://REF},
 * {@code oci:DIR[:REF]}, {@code oci-archive:FILE[:REF]}, {@code docker-archive:FILE[:REF]}, {@code dir:DIR},
 * atomic's {@code dockertar:/PATH}, {@code http:NAME} (a plain-HTTP registry) and bare names. The same references
 * name destinations ({@link ImageDestination}), as containers-transports(5) has them.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface SourceReference
    permits SourceReference.Registry, SourceReference.OciLayout, SourceReference.OciArchive,
        SourceReference.DockerArchive, SourceReference.Dir {

  /** A registry image; {@code insecure} means plain HTTP or TLS without verification. */
  record Registry(ImageReference reference, String userText, boolean insecure) implements SourceReference {
    public Registry {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(userText, "userText");
    }
  }

  /** An OCI image layout directory. */
  record OciLayout(Path directory, Optional<String> ref) implements SourceReference {}

  /** An OCI layout in a tar file. */
  record OciArchive(Path file, Optional<String> ref) implements SourceReference {}

  /** A {@code docker save} tar file. */
  record DockerArchive(Path file, Optional<String> ref) implements SourceReference {}

  /** containers/image's {@code dir:} transport: a manifest, its blobs by hex and signatures, in a directory. */
  record Dir(Path directory) implements SourceReference {}

  /**
   * This reference as containers-transports(5) write it, paths absolute: {@code docker://REF}, {@code oci:DIR[:REF]},
   * {@code oci-archive:FILE[:REF]}, {@code docker-archive:FILE[:REF]} or {@code dir:DIR}.
   */
  default String text() {
    if (this instanceof Registry) {
      return "docker://" + ((Registry) this).reference();
    }
    if (this instanceof OciLayout) {
      OciLayout l = (OciLayout) this;
      return "oci:" + l.directory().toAbsolutePath().normalize() + l.ref().map(r -> ":" + r).orElse("");
    }
    if (this instanceof OciArchive) {
      OciArchive a = (OciArchive) this;
      return "oci-archive:" + a.file().toAbsolutePath().normalize() + a.ref().map(r -> ":" + r).orElse("");
    }
    if (this instanceof Dir) {
      return "dir:" + ((Dir) this).directory().toAbsolutePath().normalize();
    }
    DockerArchive a = (DockerArchive) this;
    return "docker-archive:" + a.file().toAbsolutePath().normalize() + a.ref().map(r -> ":" + r).orElse("");
  }

  /**
   * Parses a source. A bare name is a registry reference; {@code http:} marks the registry insecure, as atomic did.
   *
   * @throws IllegalArgumentException naming the input and the accepted forms
   */
  static SourceReference parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.startsWith("docker://")) {
      return registry(text.substring("docker://".length()), text, false);
    }
    if (text.startsWith("oci-archive:")) {
      return pathRef(text.substring("oci-archive:".length()), text, true, false);
    }
    if (text.startsWith("docker-archive:")) {
      return pathRef(text.substring("docker-archive:".length()), text, false, true);
    }
    if (text.startsWith("dockertar:")) {
      // atomic: "dockertar:/x.tar" is relative to the current directory and "dockertar://abs" absolute
      String path = text.substring("dockertar:/".length());
      if (!text.startsWith("dockertar:/") || path.isEmpty()) {
        throw new IllegalArgumentException("Invalid image '" + text + "': expected dockertar:/PATH");
      }
      return new DockerArchive(Path.of(path), Optional.empty());
    }
    if (text.startsWith("dir:")) {
      String path = text.substring("dir:".length());
      if (path.isEmpty()) {
        throw new IllegalArgumentException("Invalid image '" + text + "': a path is missing after the transport");
      }
      return new Dir(Path.of(path));
    }
    if (text.startsWith("oci:")) {
      return pathRef(text.substring("oci:".length()), text, false, false);
    }
    if (text.startsWith("http:")) {
      return registry(text.substring("http:".length()).replaceFirst("^//", ""), text, true);
    }
    if (text.startsWith("https:")) {
      return registry(text.substring("https:".length()).replaceFirst("^//", ""), text, false);
    }
    return registry(text, text, false);
  }

  private static SourceReference registry(String ref, String text, boolean insecure) {
    try {
      return new Registry(ImageReference.parse(ref), ref, insecure);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid image '" + text + "': " + e.getMessage()
              + ". Use docker://REGISTRY/NAME:TAG, oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE or dir:DIR",
          e);
    }
  }

  private static SourceReference pathRef(String rest, String text, boolean archive, boolean docker) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("Invalid image '" + text + "': a path is missing after the transport");
    }
    String path = rest;
    Optional<String> ref = Optional.empty();
    // as skopeo: the path ends at the first colon (a docker-archive reference has its own), unless the whole text
    // names an existing file
    int colon = rest.indexOf(':');
    if (colon > 0 && !java.nio.file.Files.exists(Path.of(rest))) {
      path = rest.substring(0, colon);
      ref = Optional.of(rest.substring(colon + 1)).filter(r -> !r.isEmpty());
    }
    Path p = Path.of(path);
    if (docker) {
      return new DockerArchive(p, ref);
    }
    return archive ? new OciArchive(p, ref) : new OciLayout(p, ref);
  }
}
