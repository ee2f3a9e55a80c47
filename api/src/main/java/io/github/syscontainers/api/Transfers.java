package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.registry.ImageCopier;
import io.github.syscontainers.registry.SourceReference;
import java.util.Locale;
import java.util.Optional;

/** What copy, push and save share: parsing a transport's reference, and a copier's result as the facade's record. */
final class Transfers {
  private Transfers() {}

  static SourceReference parse(String text) throws LifecycleException {
    try {
      return SourceReference.parse(text);
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  static Copied copied(ImageCopier.Result r) {
    return new Copied(Optional.of(r.manifestDigest()), r.mediaType(), r.manifestKept(),
        r.blobs().stream()
            .map(b -> new CopiedBlob(b.source(), b.destination(), b.action().name().toLowerCase(Locale.ROOT)))
            .toList(),
        Optional.empty());
  }

  static ImageCopier.Options copyOptions(SourceSettings settings, Optional<Compression> compression) {
    Optional<ImageCopier.Compression> c = compression.map(x -> ImageCopier.Compression.valueOf(x.name()));
    return new ImageCopier.Options(java.util.List.of(), c, SourceSettings.listener(settings.progress),
        c.filter(x -> x == ImageCopier.Compression.ZSTD_CHUNKED)
            .map(x -> io.github.syscontainers.lifecycle.ImageCopy.ZSTD_CHUNKED));
  }
}
