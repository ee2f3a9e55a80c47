package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Sigstore bundles that refer to a manifest, as cosign 3 attaches them: an OCI 1.1 referrers index (from the
 * registry's referrers API, or the fallback tag {@code sha256-HEX} that registries without the API hold), whose
 * entries of a bundle artifact type are manifests with the bundle as their layer. Every count and size is capped:
 * at most 1,000 referrers listed, 128 bundles read, each manifest and bundle 4 MiB, a bundle whose descriptor says
 * more is refused unread.
 */
final class Referrers {
  static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  static final int MAX_REFERRERS = 1000;
  static final int MAX_BUNDLES = 128;
  static final int MAX_BUNDLE = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a source keeps its referrers. */
  interface Store {
    /** The referrers index of {@code digest} (API, then fallback tag), if there is one. */
    Optional<byte[]> index(Digest digest) throws RegistryException;

    /** A manifest, verified against its descriptor. */
    byte[] manifest(Descriptor d) throws RegistryException;

    /** A small blob read whole, refused unread over {@code max}. */
    byte[] blob(Descriptor d, int max, String what) throws RegistryException;
  }

  private Referrers() {}

  /** Whether {@code type} is a Sigstore bundle's media or artifact type. */
  static boolean isBundle(String type) {
    return type != null && type.startsWith("application/vnd.dev.sigstore.bundle");
  }

  /** The bundles referring to {@code digest}: each its media type and JSON. */
  static List<SigstoreBundleBlob> bundles(Store store, Digest digest, String what) throws RegistryException {
    Optional<byte[]> index = store.index(digest);
    List<SigstoreBundleBlob> out = new ArrayList<>();
    if (index.isEmpty()) {
      return out;
    }
    JsonNode root;
    try {
      root = JSON.readTree(index.get());
    } catch (IOException e) {
      throw new RegistryException("The referrers of " + digest + " in " + what + " are not a valid index: "
          + e.getMessage(), e);
    }
    JsonNode manifests = root == null ? null : root.path("manifests");
    if (manifests == null || !manifests.isArray()) {
      throw new RegistryException("The referrers of " + digest + " in " + what + " are not an OCI index");
    }
    if (manifests.size() > MAX_REFERRERS) {
      throw new RegistryException(what + " lists " + manifests.size() + " referrers of " + digest + "; more than "
          + MAX_REFERRERS + " is taken for a hostile or broken registry, and none is read");
    }
    List<Descriptor> bundles = new ArrayList<>();
    for (JsonNode m : manifests) {
      if (isBundle(m.path("artifactType").asText(null))) {
        bundles.add(Descriptor.of(m.path("mediaType").asText(MediaType.OCI_MANIFEST),
            Digest.parse(m.path("digest").asText()), m.path("size").asLong()));
      }
    }
    if (bundles.size() > MAX_BUNDLES) {
      throw new RegistryException(what + " lists " + bundles.size() + " Sigstore bundles for " + digest
          + "; more than " + MAX_BUNDLES + " is taken for a hostile or broken registry, and none is read");
    }
    for (Descriptor d : bundles) {
      if (d.size() > ManifestResolver.MAX_MANIFEST) {
        throw new RegistryException("The bundle manifest " + d.digest() + " in " + what + " is over 4 MiB; not"
            + " fetched");
      }
      byte[] bytes = store.manifest(d);
      Manifest m = ManifestParser.parse(bytes, MediaType.OCI_MANIFEST, "the bundle manifest " + d.digest());
      String subject;
      try {
        subject = JSON.readTree(bytes).path("subject").path("digest").asText(digest.toString());
      } catch (IOException e) {
        throw new RegistryException("The bundle manifest " + d.digest() + " is not valid JSON", e);
      }
      if (!subject.equals(digest.toString())) {
        // listed for this manifest, about another: not one of its signatures
        continue;
      }
      if (!(m instanceof Manifest.Image)) {
        throw new RegistryException("The bundle manifest " + d.digest() + " in " + what + " is not an image manifest");
      }
      for (Descriptor layer : ((Manifest.Image) m).layers()) {
        if (isBundle(layer.mediaType())) {
          out.add(new SigstoreBundleBlob(layer.mediaType(), store.blob(layer, MAX_BUNDLE, "The Sigstore bundle "
              + layer.digest() + " referring to " + digest)));
        }
      }
    }
    return out;
  }

  /** The bundles referring to {@code digest} in an OCI layout whose index is {@code indexJson}: its fallback tag. */
  static List<SigstoreBundleBlob> inLayout(byte[] indexJson, Digest digest, ImageSource source, String what)
      throws RegistryException {
    return bundles(new Store() {
      @Override
      public Optional<byte[]> index(Digest d) throws RegistryException {
        Optional<Descriptor> tagged = LayoutIndex.named(indexJson, fallbackTag(d), what);
        return tagged.isEmpty() ? Optional.empty() : Optional.of(manifest(tagged.get()));
      }

      @Override
      public byte[] manifest(Descriptor d) throws RegistryException {
        if (d.size() > ManifestResolver.MAX_MANIFEST) {
          throw new RegistryException(d.digest() + " in " + what + " is over the 4 MiB limit of a manifest");
        }
        try (java.io.InputStream in = source.openBlob(d)) {
          return in.readAllBytes();
        } catch (IOException e) {
          throw e instanceof RegistryException ? (RegistryException) e
              : new RegistryException("Tried to read " + d.digest() + " in " + what + " but failed: " + e, e);
        }
      }

      @Override
      public byte[] blob(Descriptor d, int max, String w) throws RegistryException {
        return source.readSmallBlob(d, max, w);
      }
    }, digest, what);
  }

  /** The fallback tag of {@code digest}'s referrers: {@code sha256-HEX}. */
  static String fallbackTag(Digest digest) {
    return digest.algorithm() + "-" + digest.hex();
  }
}
