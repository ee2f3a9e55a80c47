package io.github.syscontainers.registry;

import java.util.List;

/**
 * Decides whether a resolved image may be used, after its manifest (and config) arrived and before any layer is
 * fetched: the signature policy's hook. The check may read signatures from wherever its configuration says, the
 * source itself included.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface ImageCheck {
  /** Accepts every image and keeps no signature: for libraries and tests that verify nothing. */
  ImageCheck NONE = (ref, source, manifest) -> List.of();

  /**
   * Checks the image whose reference {@code ref} named {@code manifest} at {@code source}.
   *
   * @return the signatures to keep with the image in the store, in order
   * @throws RegistryException when the image is refused; its message says why and what to do
   */
  List<byte[]> check(SourceReference ref, ImageSource source, TopManifest manifest) throws RegistryException;
}
