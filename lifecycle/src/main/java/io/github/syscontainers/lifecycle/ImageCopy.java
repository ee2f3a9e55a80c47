package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.registry.ImageCheck;
import io.github.syscontainers.registry.ImageCopier;
import io.github.syscontainers.registry.ImageDestination;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.RegistryDestination;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.ResolvedImage;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code copy SRC DST}: one image from any transport to any other, as {@code skopeo copy} does. The source's
 * signature policy decides on the image as soon as its manifest arrives, before a blob is read; the destination is
 * committed (an archive renamed into place, index.json written) only once everything is in it.
 */
public final class ImageCopy {
  /**
   * A copy to make.
   *
   * @param additionalTags more names for the image at the destination ({@code --additional-tag})
   * @param chunkSize send registry blobs over this size in chunks of it (empty: one request per blob)
   */
  public record Request(
      SourceReference source,
      SourceOptions sourceOptions,
      Platform platform,
      SourceReference destination,
      SourceOptions destinationOptions,
      List<String> additionalTags,
      ImageCopier.Options copyOptions,
      OptionalLong chunkSize) {
    public Request {
      additionalTags = List.copyOf(additionalTags);
    }
  }

  private ImageCopy() {}

  /** Makes the copy; returns what was written. */
  public static ImageCopier.Result copy(Request r) throws LifecycleException {
    try (ImageSource source = ImageSource.open(r.source(), r.sourceOptions())) {
      ImageCheck check = r.sourceOptions().imageCheck();
      ResolvedImage image = source.resolve(r.platform(), top -> check.check(r.source(), source, top));
      List<String> names = names(r.destination(), r.source(), r.additionalTags());
      try (ImageDestination dest = open(r)) {
        ImageCopier.Result result = ImageCopier.copy(source, r.source(), image, dest,
            new ImageCopier.Options(names, r.copyOptions().compression(), r.copyOptions().listener()));
        dest.commit();
        return result;
      }
    } catch (RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new LifecycleException("Tried to copy " + r.source() + " but failed: " + e.getMessage(), e);
    }
  }

  private static ImageDestination open(Request r) throws RegistryException {
    if (r.chunkSize().isPresent() && r.destination() instanceof SourceReference.Registry) {
      return RegistryDestination.open((SourceReference.Registry) r.destination(), r.destinationOptions(),
          r.chunkSize().getAsLong());
    }
    return ImageDestination.open(r.destination(), r.destinationOptions());
  }

  /**
   * The names the image gets at {@code dest}: the tag of a registry reference; the REF of {@code oci:DIR:REF} and
   * {@code oci-archive:FILE:REF}; the NAME:TAG of {@code docker-archive:FILE:NAME:TAG} (else the source's, when it
   * is a registry image, as skopeo does); then {@code additional}.
   */
  static List<String> names(SourceReference dest, SourceReference source, List<String> additional)
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
      } else if (source instanceof SourceReference.Registry
          && ((SourceReference.Registry) source).reference().tag().isPresent()) {
        names.add(((SourceReference.Registry) source).reference().toString());
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
}
