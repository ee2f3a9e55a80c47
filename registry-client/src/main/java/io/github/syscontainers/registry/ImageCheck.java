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
  ImageCheck NONE = (ref, source, manifest) -> Accepted.UNCHECKED;

  /**
   * An image accepted.
   *
   * @param signatures the signatures to keep with the image in the store, in order
   * @param decision what accepted it, in words: the policy and scope, and what each signature vouched
   */
  record Accepted(List<byte[]> signatures, String decision) {
    /** No check was made. */
    public static final Accepted UNCHECKED = new Accepted(List.of(), "");

    public Accepted {
      signatures = List.copyOf(signatures);
    }
  }

  /**
   * Checks the image whose reference {@code ref} named {@code manifest} at {@code source}.
   *
   * @throws RegistryException when the image is refused; its message says why and what to do
   */
  Accepted check(SourceReference ref, ImageSource source, TopManifest manifest) throws RegistryException;
}
