package io.github.syscontainers.api;

import io.github.syscontainers.model.Digest;
import java.util.List;
import java.util.Optional;

/**
 * An image written by {@link SystemContainers#copy()}, {@link SystemContainers#push()} or {@link
 * SystemContainers#save()}.
 *
 * @param manifestDigest the digest of the manifest as written (empty for an image copied into the store from an
 *     archive that has no manifest)
 * @param mediaType its media type (empty for a copy into the store)
 * @param manifestKept whether it is the source's manifest byte for byte (its digest kept)
 * @param blobs what happened to each blob (empty for a copy into the store, which a pull's progress reports)
 * @param storedImageId for a copy into the store ({@code ostree:NAME}), the image id stored
 */
public record Copied(
    Optional<Digest> manifestDigest, String mediaType, boolean manifestKept, List<CopiedBlob> blobs,
    Optional<String> storedImageId) {
  public Copied {
    blobs = List.copyOf(blobs);
  }
}
