package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import java.io.Closeable;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A place to read one image from: a registry, an OCI layout, an oci-archive, a docker-archive. Blobs are verified against their
 * descriptors while they stream.
 *
 * <p>Implementations are safe for concurrent {@link #openBlob} calls, so layers can be fetched in parallel.
 */
public sealed interface ImageSource extends Closeable, BlobReader permits RegistrySource, MirroredSource, OciLayoutSource, OciArchiveSource, DockerArchiveSource,
    DirSource {

  /** Resolves the image for {@code platform}: manifest, config, layers. */
  default ResolvedImage resolve(Platform platform) throws RegistryException {
    return resolve(platform, top -> {});
  }

  /**
   * Resolves the image for {@code platform}, letting {@code gate} refuse it as soon as the manifest the reference
   * names has arrived (verified against a pinned digest): before any other manifest, the config or a layer is read.
   */
  ResolvedImage resolve(Platform platform, ManifestGate gate) throws RegistryException;

  /**
   * The manifest the reference names, as it is: an index stays an index ({@code copy --all}), checked against the
   * digest the reference pins. Nothing else is read.
   */
  default TopManifest topManifest() throws RegistryException {
    TopManifest[] top = new TopManifest[1];
    try {
      resolve(io.github.syscontainers.model.Platform.host(), t -> {
        top[0] = t;
        throw new TopReached();
      });
    } catch (TopReached reached) {
      return top[0];
    }
    throw new IllegalStateException("the source resolved an image without showing its manifest to the gate");
  }

  /** Ends a resolution once the top manifest is in hand. */
  final class TopReached extends RegistryException {
    private static final long serialVersionUID = 1L;

    TopReached() {
      super("the manifest the reference names was read");
    }
  }

  /**
   * Resolves one image manifest of the index the reference names ({@code copy --all}), by its index entry: the
   * manifest checked against the entry, its config against the manifest. By default the manifest is read as a blob,
   * as OCI layouts and archives hold it.
   */
  default ResolvedImage resolveChild(Descriptor entry) throws RegistryException {
    String what = imageName();
    try {
      return ManifestResolver.child(new ManifestResolver.Fetcher() {
        @Override
        public ManifestResolver.Fetched fetch(Optional<Descriptor> d) throws java.io.IOException {
          return new ManifestResolver.Fetched(
              VerifyingInputStream.readAll(openBlob(d.get()), d.get(), what, ManifestResolver.MAX_MANIFEST),
              d.get().mediaType());
        }

        @Override
        public InputStream openBlob(Descriptor d) throws java.io.IOException {
          return ImageSource.this.openBlob(d);
        }
      }, entry, what);
    } catch (RegistryException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new RegistryException("Tried to read the manifest " + entry.digest() + " of " + what + " but failed: "
          + e.getMessage(), e);
    }
  }

  /** Decides on an image from the manifest its reference names, before anything else of it is read. */
  @FunctionalInterface
  interface ManifestGate {
    /** @throws RegistryException when the image is refused */
    void admit(TopManifest top) throws RegistryException;
  }

  @Override
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
   * Returns true when {@link #fetchRanges} can fetch parts of a blob: a registry, which takes {@code Range} (a
   * partial pull fetches only the files the store lacks). Local archives and layouts say no.
   */
  default boolean servesRanges() {
    return false;
  }

  /**
   * Fetches {@code ranges} (sorted, apart) of {@code blob} and hands each to {@code receiver} as it arrives, with as
   * few requests as the registry allows; returns the bytes the registry sent.
   *
   * @throws UnsupportedOperationException when {@link #servesRanges} is false
   */
  default long fetchRanges(Descriptor blob, java.util.List<ByteRange> ranges, RangeReceiver receiver)
      throws java.io.IOException {
    return fetchRanges(blob, ranges, receiver, true);
  }

  /**
   * Fetches ranges as {@link #fetchRanges(Descriptor, java.util.List, RangeReceiver)}; when {@code wholeTaken} is
   * false, a registry that answers with the whole blob is an error at once, its body unread (a partial pull's first
   * request: it would rather fetch the blob whole, once).
   */
  default long fetchRanges(Descriptor blob, java.util.List<ByteRange> ranges, RangeReceiver receiver,
      boolean wholeTaken) throws java.io.IOException {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not serve ranges of blobs");
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

  /** The tag of a manifest's sigstore attachments, as cosign and containers/image name it: {@code sha256-HEX.sig}. */
  static String sigstoreTag(Digest manifest) {
    return manifest.algorithm() + "-" + manifest.hex() + ".sig";
  }

  /**
   * The layers of the sigstore attachment manifest of the manifest {@code digest}: the OCI image manifest tagged
   * {@link #sigstoreTag} beside it, in a registry or in an OCI layout's index. Empty when there is none, or the
   * source cannot hold any.
   */
  default Optional<List<Descriptor>> sigstoreAttachments(Digest digest) throws RegistryException {
    return Optional.empty();
  }

  /**
   * The Sigstore bundles that refer to the manifest {@code digest} (OCI 1.1 referrers: the registry's referrers API,
   * else the fallback tag {@code sha256-HEX}; in an OCI layout, that tag in its index). Empty when there are none, or
   * the source cannot hold any.
   */
  default List<SigstoreBundleBlob> sigstoreBundles(Digest digest) throws RegistryException {
    return List.of();
  }

  /**
   * A small blob (a signature) read whole and verified: refused unread when its descriptor says it is over
   * {@code max} bytes, and never read past {@code max} whatever the source sends.
   */
  default byte[] readSmallBlob(Descriptor blob, int max, String what) throws RegistryException {
    if (blob.size() > max) {
      throw new RegistryException(what + " is " + blob.size() + " bytes by its descriptor, over the " + max
          + "-byte limit; not fetched");
    }
    try (InputStream in = openBlob(blob)) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new RegistryException(what + " is over the " + max + "-byte limit");
      }
      return bytes;
    } catch (RegistryException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new RegistryException("Tried to read " + what + " but failed: " + e.getMessage(), e);
    }
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
    if (ref instanceof SourceReference.Dir) {
      return new DirSource(((SourceReference.Dir) ref).directory());
    }
    SourceReference.DockerArchive a = (SourceReference.DockerArchive) ref;
    return DockerArchiveSource.open(a.file(), a.ref());
  }
}
