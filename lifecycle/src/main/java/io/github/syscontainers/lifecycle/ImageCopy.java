package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.objectstore.chunked.ZstdChunkedWriter;
import io.github.syscontainers.registry.ImageCheck;
import io.github.syscontainers.registry.ImageCopier;
import io.github.syscontainers.registry.ImageDestination;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.Manifest;
import io.github.syscontainers.registry.ManifestParser;
import io.github.syscontainers.registry.TopManifest;
import io.github.syscontainers.trust.ImageSigner;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import io.github.syscontainers.registry.RegistryDestination;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.ResolvedImage;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
   * @param all when the reference names an index, copy every image it names and the index ({@code --all}), not the
   *     platform's image alone
   * @param signatures where the source's signatures are read and the destination's written, to carry them along;
   *     empty to leave them behind ({@code --remove-signatures})
   * @param signing a signature to add for the destination's manifest ({@code --sign-by})
   */
  public record Request(
      SourceReference source,
      SourceOptions sourceOptions,
      Platform platform,
      SourceReference destination,
      SourceOptions destinationOptions,
      List<String> additionalTags,
      ImageCopier.Options copyOptions,
      OptionalLong chunkSize,
      boolean all,
      Optional<TrustCheck> signatures,
      Optional<Signing> signing) {
    public Request {
      additionalTags = List.copyOf(additionalTags);
    }
  }

  /**
   * Signing the copy: {@code signer}'s signature of the destination's manifest, claiming {@code identity} (by default
   * the destination's registry reference), stored where {@code store} stores signatures of the destination.
   */
  public record Signing(ImageSigner signer, Optional<String> identity, TrustCheck store) {}

  /** The zstd:chunked encoder copies use ({@code --dest-compress-format zstd:chunked}): the store's writer. */
  public static final ImageCopier.ChunkedEncoder ZSTD_CHUNKED =
      (tar, out) -> ZstdChunkedWriter.write(tar, out).annotations();

  private ImageCopy() {}

  /** Makes the copy; returns what was written. */
  public static ImageCopier.Result copy(Request r) throws LifecycleException {
    Optional<String> identity = signingIdentity(r);
    try (ImageSource source = ImageSource.open(r.source(), r.sourceOptions())) {
      ImageCheck check = r.sourceOptions().imageCheck();
      if (r.all()) {
        TopManifest top = source.topManifest();
        check.check(r.source(), source, top);
        if (ManifestParser.parse(top.bytes(), "", source.imageName()) instanceof Manifest.Index) {
          List<byte[]> sigs = signatures(r, source, top);
          try (ImageDestination dest = open(r)) {
            ImageCopier.Result result = ImageCopier.copyIndex(source, Optional.of(r.source()), top, dest,
                r.copyOptions().named(DestinationNames.of(r.destination(), Optional.empty(), r.additionalTags())));
            if (!sigs.isEmpty() && !result.manifestKept()) {
              throw new LifecycleException("Copying the index " + top.digest() + " changed it (its images were"
                  + " converted for " + dest.describe() + "), which would invalidate its " + sigs.size()
                  + " signature(s); nothing was committed. Use --remove-signatures to copy it without them");
            }
            dest.commit();
            storeSignatures(r, result, sigs);
            sign(r, result, identity);
            return result;
          }
        }
      }
      ResolvedImage image = source.resolve(r.platform(), top -> check.check(r.source(), source, top));
      List<byte[]> sigs = signatures(r, source, image.topManifest());
      if (!sigs.isEmpty() && !image.topManifest().digest().equals(image.manifestDigest())) {
        throw new LifecycleException("The " + sigs.size() + " signature(s) of " + source.imageName() + " sign its index "
            + image.topManifest().digest() + ", and copying one platform's image would leave them signing nothing at "
            + "the destination: copy the whole index with --all, or use --remove-signatures");
      }
      Optional<ImageReference> sourceName = r.source() instanceof SourceReference.Registry
          ? Optional.of(((SourceReference.Registry) r.source()).reference()) : Optional.empty();
      List<String> names = DestinationNames.of(r.destination(), sourceName, r.additionalTags());
      try (ImageDestination dest = open(r)) {
        ImageCopier.Options options = r.copyOptions().named(names);
        if (!sigs.isEmpty() && !ImageCopier.keepsManifest(image, dest, options)) {
          throw new LifecycleException("Copying " + source.imageName() + " to " + dest.describe() + " changes its"
              + " manifest (layers or media types converted), which would invalidate its " + sigs.size()
              + " signature(s); nothing was written. Use --remove-signatures to copy it without them, or a"
              + " destination that takes the layers as they are");
        }
        ImageCopier.Result result = ImageCopier.copy(source, Optional.of(r.source()), image, dest, options);
        dest.commit();
        storeSignatures(r, result, sigs);
        sign(r, result, identity);
        return result;
      }
    } catch (RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new LifecycleException("Tried to copy " + r.source() + " but failed: " + e.getMessage(), e);
    }
  }

  /**
   * Writes images of the store to one destination ({@code save}, {@code push}, {@code copy ostree:NAME}): each
   * layer rebuilt byte for byte from its tar-split record, or from its files when it has none, with a notice
   * ({@link StoreExport}). Each image is named at the destination by the name the destination reference gives (one
   * image), else by its name in the store; a docker-archive or OCI archive written this way holds them all, layers
   * they share once.
   */
  public static List<ImageCopier.Result> export(ImageStore store, List<StoredImage> images, SourceReference dest,
      SourceOptions destOptions, List<String> additionalTags, ImageCopier.Options options, OptionalLong chunkSize,
      NoticeListener notices) throws LifecycleException {
    return export(store, images, dest, destOptions, additionalTags, options, chunkSize, notices, Optional.empty(),
        false);
  }

  /**
   * As {@link #export(ImageStore, List, SourceReference, SourceOptions, List, ImageCopier.Options, OptionalLong,
   * NoticeListener)}, carrying the signatures stored with each image to {@code dest} through {@code signatures}, as
   * podman push carries them: when the image goes as it was pulled (its manifest digest kept, {@code keep-blobs=true}).
   * A signature that cannot go (the manifest was rebuilt, or the destination has no place for it) is refused before
   * anything is written when {@code strict} ({@code push}, {@code copy}), else left behind with a notice
   * ({@code save}).
   */
  public static List<ImageCopier.Result> export(ImageStore store, List<StoredImage> images, SourceReference dest,
      SourceOptions destOptions, List<String> additionalTags, ImageCopier.Options options, OptionalLong chunkSize,
      NoticeListener notices, Optional<TrustCheck> signatures, boolean strict) throws LifecycleException {
    if (images.size() > 1 && (dest instanceof SourceReference.Registry || dest instanceof SourceReference.Dir)) {
      throw new LifecycleException("A registry reference or dir: holds one image; push or copy each image on its"
          + " own, or save them to a docker-archive or oci-archive");
    }
    List<StoreExport> exports = new ArrayList<>();
    List<List<byte[]>> carried = new ArrayList<>();
    // the export's notices are told once it is sure to go ahead (not before a refusal about signatures)
    List<Notice> later = new ArrayList<>();
    for (StoredImage i : images) {
      StoreExport e = StoreExport.of(store, i, later::add);
      exports.add(e);
      carried.add(storedSignatures(store, i, e, dest, signatures, strict, later::add));
    }
    later.forEach(notices::notice);
    List<ImageCopier.Result> results = new ArrayList<>();
    try (ImageDestination d = open(dest, destOptions, chunkSize)) {
      for (int k = 0; k < images.size(); k++) {
        List<String> names = DestinationNames.ofStored(dest, images.get(k), images.size() == 1 ? additionalTags
            : List.of());
        results.add(ImageCopier.copy(exports.get(k), Optional.empty(), exports.get(k).image(), d,
            options.named(names)));
      }
      d.commit();
      for (int k = 0; k < images.size(); k++) {
        if (!carried.get(k).isEmpty()) {
          signatures.get().storeSignatures(dest, results.get(k).manifestDigest(), carried.get(k));
        }
      }
      return results;
    } catch (RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (TrustException e) {
      throw new LifecycleException("The image was written, but its signatures could not be stored: "
          + e.getMessage(), e);
    }
  }

  /** The stored signatures of {@code image} that go with its export to {@code dest}; see {@link #export}. */
  private static List<byte[]> storedSignatures(ImageStore store, StoredImage image, StoreExport export,
      SourceReference dest, Optional<TrustCheck> signatures, boolean strict, NoticeListener notices)
      throws LifecycleException {
    if (signatures.isEmpty()) {
      return List.of();
    }
    List<byte[]> sigs;
    try {
      sigs = store.signatures(image);
    } catch (io.github.syscontainers.objectstore.ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    if (sigs.isEmpty()) {
      return List.of();
    }
    Optional<String> problem = !image.manifestDigest().equals(Optional.of(export.image().manifestDigest()))
        ? Optional.of("the layers are rebuilt, so the manifest they sign is not the one written (set keep-blobs=true"
            + " in the [syscontainers] group of " + store.repository().path().resolve("config") + " before pulling to"
            + " send images as they were pulled)")
        : signatures.get().signatureStoreProblem(dest, sigs);
    if (problem.isEmpty()) {
      return sigs;
    }
    String message = image.name() + " has " + sigs.size() + " stored signature(s) that cannot go with it: "
        + problem.get();
    if (strict) {
      throw new LifecycleException(message + ". Use --remove-signatures to go without them");
    }
    notices.notice(Notice.warning(message + "; they are left behind"));
    return List.of();
  }



  /**
   * The source's signatures of {@code top}, to carry; refused before anything is written when the destination has
   * no place for them. Empty without a signature store to read ({@code --remove-signatures}).
   */
  private static List<byte[]> signatures(Request r, ImageSource source, TopManifest top) throws LifecycleException {
    if (r.signatures().isEmpty()) {
      return List.of();
    }
    try {
      List<byte[]> sigs = r.signatures().get().signaturesOf(r.source(), source, top.digest());
      if (!sigs.isEmpty()) {
        Optional<String> problem = r.signatures().get().signatureStoreProblem(r.destination(), sigs);
        if (problem.isPresent()) {
          throw new LifecycleException("Cannot copy the " + sigs.size() + " signature(s) of " + source.imageName()
              + ": " + problem.get() + ". Use --remove-signatures to copy the image without them");
        }
      }
      return sigs;
    } catch (TrustException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  private static void storeSignatures(Request r, ImageCopier.Result result, List<byte[]> sigs)
      throws LifecycleException {
    if (sigs.isEmpty()) {
      return;
    }
    try {
      r.signatures().get().storeSignatures(r.destination(), result.manifestDigest(), sigs);
    } catch (TrustException e) {
      throw new LifecycleException("The image was copied, but its signatures could not be stored: " + e.getMessage(),
          e);
    }
  }

  /**
   * The identity a {@code --sign-by} signature will claim, checked with the destination's place for signatures
   * before anything is copied: the one given, else the destination's registry reference.
   */
  private static Optional<String> signingIdentity(Request r) throws LifecycleException {
    if (r.signing().isEmpty()) {
      return Optional.empty();
    }
    Optional<String> identity = r.signing().get().identity();
    if (identity.isEmpty() && r.destination() instanceof SourceReference.Registry) {
      identity = Optional.of(((SourceReference.Registry) r.destination()).reference().toString());
    }
    if (identity.isEmpty()) {
      throw new LifecycleException("The destination has no Docker reference to sign for; give the name the image"
          + " will be pulled as with --sign-identity REGISTRY/REPOSITORY:TAG");
    }
    // the destination's place for signatures as such (no signature of a kind it refuses in hand yet)
    Optional<String> problem = r.signing().get().store().signatureStoreProblem(r.destination(), List.of());
    if (problem.isPresent()) {
      throw new LifecycleException("Cannot sign the copy: " + problem.get());
    }
    return identity;
  }

  private static void sign(Request r, ImageCopier.Result result, Optional<String> identity)
      throws LifecycleException {
    if (r.signing().isEmpty()) {
      return;
    }
    try {
      byte[] signature = r.signing().get().signer().signatureOf(result.manifestDigest(), identity.get());
      r.signing().get().store().storeSignatures(r.destination(), result.manifestDigest(), List.of(signature));
    } catch (TrustException e) {
      throw new LifecycleException("The image was copied, but signing it failed: " + e.getMessage(), e);
    }
  }

  private static ImageDestination open(Request r) throws RegistryException {
    return open(r.destination(), r.destinationOptions(), r.chunkSize());
  }

  private static ImageDestination open(SourceReference dest, SourceOptions options, OptionalLong chunkSize)
      throws RegistryException {
    if (chunkSize.isPresent() && dest instanceof SourceReference.Registry) {
      return RegistryDestination.open((SourceReference.Registry) dest, options, chunkSize.getAsLong());
    }
    return ImageDestination.open(dest, options);
  }


}
