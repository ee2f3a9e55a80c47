package io.github.syscontainers.api;

import io.github.syscontainers.model.Digest;
import java.util.List;
import java.util.Optional;

/**
 * An image in the store after {@link SystemContainers#pull()}.
 *
 * @param name the name it is stored under ({@code registry.example.com/app:1})
 * @param imageId the id {@code images list} shows (the manifest digest's hex)
 * @param manifestDigest the digest of its manifest, when it has one
 * @param layers the digests of its layers, base first
 */
public record Pulled(String name, String imageId, Optional<Digest> manifestDigest, List<Digest> layers) {
  public Pulled {
    layers = List.copyOf(layers);
  }
}
