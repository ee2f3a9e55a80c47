package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** The names an image is given at a copy's destination: tags, ref names or RepoTags, as the transport has them. */
final class DestinationNames {
  private DestinationNames() {}

  /**
   * The names the image gets at {@code dest}: the tag of a registry reference; the REF of {@code oci:DIR:REF} and
   * {@code oci-archive:FILE:REF}; the NAME:TAG of {@code docker-archive:FILE:NAME:TAG} (else the source's, when it
   * is a registry image, as skopeo does); then {@code additional}.
   */
  static List<String> of(SourceReference dest, Optional<ImageReference> source, List<String> additional)
      throws LifecycleException {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    if (dest instanceof SourceReference.Registry) {
      ((SourceReference.Registry) dest).reference().tag().ifPresent(names::add);
      for (String t : additional) {
        names.add(tagOnly(t));
      }
      return new ArrayList<>(names);
    }
    if (dest instanceof SourceReference.OciLayout) {
      ((SourceReference.OciLayout) dest).ref().ifPresent(names::add);
    } else if (dest instanceof SourceReference.OciArchive) {
      ((SourceReference.OciArchive) dest).ref().ifPresent(names::add);
    } else if (dest instanceof SourceReference.DockerArchive) {
      SourceReference.DockerArchive a = (SourceReference.DockerArchive) dest;
      if (a.ref().isPresent()) {
        names.add(repoTag(a.ref().get()));
      } else if (source.isPresent() && source.get().tag().isPresent() && source.get().digest().isEmpty()) {
        names.add(source.get().toString());
      }
      for (String t : additional) {
        names.add(repoTag(t));
      }
      return new ArrayList<>(names);
    } else if (!additional.isEmpty()) {
      throw new LifecycleException("--additional-tag needs a destination that holds names: docker://, oci:,"
          + " oci-archive: or docker-archive:, not dir:");
    }
    names.addAll(additional);
    return new ArrayList<>(names);
  }

  /** A docker-archive's RepoTag: a full NAME:TAG, as {@code docker save} writes it. */
  private static String repoTag(String text) throws LifecycleException {
    try {
      ImageReference ref = ImageReference.parse(text);
      if (ref.tag().isEmpty() || ref.digest().isPresent()) {
        throw new IllegalArgumentException("a docker-archive tag is NAME:TAG, without a digest");
      }
      return ref.toString();
    } catch (IllegalArgumentException e) {
      throw new LifecycleException("Invalid docker-archive tag '" + text + "': " + e.getMessage());
    }
  }

  private static String tagOnly(String text) throws LifecycleException {
    if (!text.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
      throw new LifecycleException("Invalid tag '" + text + "': a registry tag is up to 128 letters, digits, '_',"
          + " '.' and '-', not starting with '.' or '-'");
    }
    return text;
  }
  /**
   * The names a stored image gets at {@code dest} ({@code save}, {@code push}): those the reference gives, else its
   * name in the store (a docker-archive's RepoTag when it is a registry reference, an OCI archive's ref name).
   */
  static List<String> ofStored(SourceReference dest, StoredImage image, List<String> additional)
      throws LifecycleException {
    List<String> names = of(dest, storeName(image), additional);
    if (names.isEmpty() && (dest instanceof SourceReference.OciArchive || dest instanceof SourceReference.OciLayout)) {
      return List.of(image.name());
    }
    return names;
  }

  /** The stored image's name as a registry reference, when it is one. */
  private static Optional<ImageReference> storeName(StoredImage image) {
    try {
      return Optional.of(ImageReference.parse(image.name()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
