package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import java.io.Closeable;
import java.io.InputStream;
import java.util.Optional;

/**
 * A place to read one image from: a registry, an OCI layout, an oci-archive, a docker-archive. Blobs are verified against their
 * descriptors while they stream.
 *
 * <p>Implementations are safe for concurrent {@link #openBlob} calls, so layers can be fetched in parallel.
 */
public sealed interface ImageSource extends Closeable permits RegistrySource, MirroredSource, OciLayoutSource, OciArchiveSource, DockerArchiveSource {

  /** Resolves the image for {@code platform}: manifest, config, layers. */
  ResolvedImage resolve(Platform platform) throws RegistryException;

  /** Opens a blob; the stream fails at its end unless size and digest match. The caller closes it. */
  InputStream openBlob(Descriptor blob) throws RegistryException;

  /**
   * Returns true when {@link #openBlobFrom} can start a blob mid-way: a registry, which takes {@code Range}. Local
   * archives and layouts say no; they need no resume.
   */
  default boolean resumesBlobs() {
    return false;
  }

  /**
   * Opens a blob's raw bytes from {@code offset} on, not verified: for a caller that holds the bytes before
   * {@code offset} and verifies the whole ({@link PartialBlobs}).
   *
   * @throws UnsupportedOperationException when {@link #resumesBlobs} is false
   */
  default InputStream openBlobFrom(Descriptor blob, long offset) throws RegistryException {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not resume blobs");
  }

  /**
   * Returns the digest of the manifest the reference names, when the source can tell it cheaply: a registry answers
   * a {@code HEAD} (or the reference pins it). Empty when it cannot; then only {@link #resolve} says.
   */
  default Optional<Digest> peekDigest() throws RegistryException {
    return Optional.empty();
  }

  /**
   * The registry reference the image is known as, for policies and signatures: for a registry, the one asked for
   * (the short name's candidate that served it, not the mirror that sent the bytes); empty for archives and
   * layouts.
   */
  default Optional<io.github.syscontainers.model.ImageReference> servedReference() {
    return Optional.empty();
  }

  /** Returns the name the image is recorded under in the store, for example {@code example.com/app:1}. */
  String imageName();

  /** Opens the source a reference names. */
  static ImageSource open(SourceReference ref, SourceOptions options) throws RegistryException {
    options.listener().opening(ref);
    if (ref instanceof SourceReference.Registry) {
      return RegistryEndpoints.open((SourceReference.Registry) ref, options);
    }
    if (ref instanceof SourceReference.OciLayout) {
      SourceReference.OciLayout l = (SourceReference.OciLayout) ref;
      return new OciLayoutSource(l.directory(), l.ref());
    }
    if (ref instanceof SourceReference.OciArchive) {
      SourceReference.OciArchive a = (SourceReference.OciArchive) ref;
      return OciArchiveSource.open(a.file(), a.ref());
    }
    SourceReference.DockerArchive a = (SourceReference.DockerArchive) ref;
    return DockerArchiveSource.open(a.file(), a.ref());
  }
}
