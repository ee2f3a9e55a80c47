package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.model.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a reference to one image, whatever the source: fetch the manifest, walk an index to the platform's
 * manifest (fetched by digest and checked against its descriptor), fetch and verify the config, check that DiffIDs
 * and layers pair up.
 */
final class ManifestResolver {
  static final long MAX_MANIFEST = 4L << 20;
  static final long MAX_CONFIG = 16L << 20;
  private static final int MAX_DEPTH = 4;

  private ManifestResolver() {}

  /** A manifest as fetched: its exact bytes and the content type it came with. */
  record Fetched(byte[] bytes, String contentType) {}

  interface Fetcher {
    /** Fetches the top-level manifest, or the one {@code d} names. */
    Fetched fetch(Optional<Descriptor> d) throws IOException;

    java.io.InputStream openBlob(Descriptor d) throws IOException;

    /** The size of a blob no manifest gives one for (schema 1); only a registry can say. */
    default long blobSize(Digest d) throws IOException {
      throw new RegistryException(
          "Schema 1 manifests are only read from registries; convert the image with a current tool first");
    }
  }

  static ResolvedImage resolve(Fetcher fetcher, Optional<Digest> pinned, Platform platform, String what,
      ImageSource.ManifestGate gate) throws IOException {
    Fetched top = fetcher.fetch(Optional.empty());
    byte[] digested = ManifestParser.digestedBytes(top.bytes());
    if (pinned.isPresent() && !pinned.get().matches(pinned.get().newMessageDigest().digest(digested))) {
      throw new RegistryException(
          "The manifest of " + what + " does not match the requested digest " + pinned.get()
              + "; the source is corrupt or hostile");
    }
    Digest digest = pinned.orElseGet(() -> Digest.sha256Of(digested));
    TopManifest named = new TopManifest(top.bytes(), digest);
    gate.admit(named);
    Manifest m = ManifestParser.parse(top.bytes(), top.contentType(), what);
    byte[] bytes = top.bytes();
    int depth = 0;
    while (m instanceof Manifest.Index) {
      if (++depth > MAX_DEPTH) {
        throw new RegistryException("The index of " + what + " nests more than " + MAX_DEPTH + " levels deep");
      }
      Descriptor chosen = PlatformSelector.select((Manifest.Index) m, platform, what);
      Fetched child = fetcher.fetch(Optional.of(chosen));
      if (child.bytes().length != chosen.size()
          || !chosen.digest().matches(chosen.digest().newMessageDigest().digest(child.bytes()))) {
        throw new RegistryException(
            "The manifest " + chosen.digest() + " of " + what + " does not match its index entry; fetch it again");
      }
      bytes = child.bytes();
      digest = chosen.digest();
      m = ManifestParser.parse(bytes, child.contentType().isEmpty() ? chosen.mediaType() : child.contentType(), what);
    }
    if (m instanceof Manifest.Schema1) {
      return schema1(fetcher, (Manifest.Schema1) m, what).withTop(named);
    }
    Manifest.Image image = (Manifest.Image) m;
    byte[] config = VerifyingInputStream.readAll(fetcher.openBlob(image.config()), image.config(), what, MAX_CONFIG);
    ImageConfig parsed = ImageConfig.parse(config);
    if (parsed.diffIds().size() != image.layers().size()) {
      throw new RegistryException(
          "The config of " + what + " lists " + parsed.diffIds().size() + " DiffIDs for " + image.layers().size()
              + " layers; the image is malformed");
    }
    return new ResolvedImage(bytes, digest, image, config, parsed).withTop(named);
  }

  /**
   * Resolves one image manifest an index names ({@code copy --all}): fetched by its descriptor and checked against
   * it, then its config, whose DiffIDs must pair with the layers.
   */
  static ResolvedImage child(Fetcher fetcher, Descriptor entry, String what) throws IOException {
    Fetched child = fetcher.fetch(Optional.of(entry));
    if (child.bytes().length != entry.size()
        || !entry.digest().matches(entry.digest().newMessageDigest().digest(child.bytes()))) {
      throw new RegistryException(
          "The manifest " + entry.digest() + " of " + what + " does not match its index entry; fetch it again");
    }
    Manifest m = ManifestParser.parse(child.bytes(), child.contentType().isEmpty() ? entry.mediaType()
        : child.contentType(), what);
    if (!(m instanceof Manifest.Image)) {
      throw new RegistryException("The entry " + entry.digest() + " of the index of " + what + " is "
          + (m instanceof Manifest.Index ? "another index" : "a schema 1 manifest") + "; copy does not copy it with"
          + " --all (copy the platform you need without --all)");
    }
    Manifest.Image image = (Manifest.Image) m;
    byte[] config = VerifyingInputStream.readAll(fetcher.openBlob(image.config()), image.config(), what, MAX_CONFIG);
    ImageConfig parsed = ImageConfig.parse(config);
    if (parsed.diffIds().size() != image.layers().size()) {
      throw new RegistryException(
          "The config of " + entry.digest() + " of " + what + " lists " + parsed.diffIds().size() + " DiffIDs for "
              + image.layers().size() + " layers; the image is malformed");
    }
    return new ResolvedImage(child.bytes(), entry.digest(), image, config, parsed);
  }

  /** A schema 1 image, converted but for its DiffIDs; its layer sizes come from the registry. */
  private static ResolvedImage schema1(Fetcher fetcher, Manifest.Schema1 s1, String what) throws IOException {
    Schema1Converter converter = new Schema1Converter(s1, what);
    List<Descriptor> layers = new ArrayList<>();
    for (Digest blob : converter.layerBlobs()) {
      layers.add(Descriptor.of(MediaType.DOCKER_LAYER_GZIP, blob, fetcher.blobSize(blob)));
    }
    ResolvedImage provisional = converter.convert(layers, List.of());
    return new ResolvedImage(
        provisional.manifestBytes(), provisional.manifestDigest(), provisional.manifest(), provisional.configBytes(),
        provisional.config(), Optional.of(s1), Optional.empty());
  }
}
