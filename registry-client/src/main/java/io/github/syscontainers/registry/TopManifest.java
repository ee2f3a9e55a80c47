package io.github.syscontainers.registry;

import io.github.syscontainers.model.Digest;
import java.util.Arrays;

/**
 * The manifest a reference named, before any index was walked to a platform: what signatures sign and policies
 * judge (containers/image verifies against it), with its exact bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param digest its digest, as the source names it (for a schema 1 manifest, of its signed payload)
 */
public record TopManifest(byte[] bytes, Digest digest) {
  public TopManifest {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Whether {@code d}, in whatever algorithm it names, is a digest of this manifest. */
  public boolean matches(Digest d) {
    try {
      return d.matches(d.newMessageDigest().digest(ManifestParser.digestedBytes(bytes)));
    } catch (RegistryException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopManifest && ((TopManifest) o).digest.equals(digest)
        && Arrays.equals(((TopManifest) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "TopManifest[" + digest + "]";
  }
}
