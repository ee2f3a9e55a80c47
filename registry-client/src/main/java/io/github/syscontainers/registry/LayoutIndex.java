package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code index.json} of an OCI image layout: picks the image named by {@code org.opencontainers.image.ref.name},
 * or the only image when no name is asked for, and names the image for the store.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image layout</a>
 */
final class LayoutIndex {
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LayoutIndex() {}

  /** The chosen top-level descriptor and its ref name, if any. */
  record Choice(Descriptor descriptor, Optional<String> refName) {}

  /** Opens a blob of a layout, verified. */
  interface Blobs {
    InputStream open(Descriptor d) throws IOException;
  }

  /** A resolved image and the ref name it was found under. */
  record Resolution(ResolvedImage image, Optional<String> refName) {}

  /** Resolves the image {@code ref} names (or the only one) from a layout's index.json and blobs. */
  static Resolution resolve(
      byte[] indexJson, Optional<String> ref, Blobs blobs, Platform platform, String what, ImageSource.ManifestGate gate)
      throws IOException {
    Choice choice = select(indexJson, ref, what);
    ManifestResolver.Fetcher fetcher =
        new ManifestResolver.Fetcher() {
          @Override
          public ManifestResolver.Fetched fetch(Optional<Descriptor> d) throws IOException {
            Descriptor target = d.orElse(choice.descriptor());
            byte[] bytes =
                VerifyingInputStream.readAll(blobs.open(target), target, what, ManifestResolver.MAX_MANIFEST);
            return new ManifestResolver.Fetched(bytes, target.mediaType());
          }

          @Override
          public InputStream openBlob(Descriptor d) throws IOException {
            return blobs.open(d);
          }
        };
    return new Resolution(ManifestResolver.resolve(fetcher, Optional.empty(), platform, what, gate),
        choice.refName());
  }

  /** The manifests of an index.json. */
  private static List<Descriptor> manifests(byte[] indexJson, String what) throws RegistryException {
    List<Descriptor> manifests = new ArrayList<>();
    try {
      JsonNode root = JSON.readTree(indexJson);
      for (JsonNode m : root.path("manifests")) {
        manifests.add(ManifestParser.descriptor(m));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new RegistryException("The index.json of " + what + " is not valid: " + e.getMessage(), e);
    }
    return manifests;
  }

  /** The manifest of the index named {@code refName}, if any. */
  static Optional<Descriptor> named(byte[] indexJson, String refName, String what) throws RegistryException {
    for (Descriptor d : manifests(indexJson, what)) {
      if (refName.equals(d.annotations().get(REF_NAME))) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a manifest of an index is a sigstore attachment ({@code sha256-HEX.sig}) or a referrers fallback tag
   * ({@code sha256-HEX}), not an image.
   */
  private static boolean attachment(Descriptor d) {
    return d.annotations().getOrDefault(REF_NAME, "").matches("[a-z0-9]+-[0-9a-f]{32,}(\\.sig)?");
  }

  static Choice select(byte[] indexJson, Optional<String> ref, String what) throws RegistryException {
    List<Descriptor> manifests = new ArrayList<>(manifests(indexJson, what));
    if (ref.isPresent()) {
      for (Descriptor d : manifests) {
        if (ref.get().equals(d.annotations().get(REF_NAME))) {
          return new Choice(d, ref);
        }
      }
      throw new RegistryException(
          "No image named '" + ref.get() + "' in " + what + "; it holds: " + names(manifests));
    }
    // the signatures an OCI layout carries beside its image are not an image to choose
    manifests.removeIf(LayoutIndex::attachment);
    if (manifests.size() != 1) {
      throw new RegistryException(
          what + " holds " + manifests.size() + " images (" + names(manifests)
              + "); name one as PATH:REF");
    }
    Descriptor only = manifests.get(0);
    return new Choice(only, Optional.ofNullable(only.annotations().get(REF_NAME)));
  }

  private static String names(List<Descriptor> manifests) {
    List<String> out = new ArrayList<>();
    for (Descriptor d : manifests) {
      out.add(d.annotations().getOrDefault(REF_NAME, d.digest().toString()));
    }
    return out.isEmpty() ? "nothing" : String.join(", ", out);
  }

  /**
   * Names an image read from a layout or archive: a ref name that is a full reference ({@code example.com/app:1})
   * is kept; otherwise the file name without {@code .tar} plus the ref name as the tag, or {@code latest}.
   */
  static String imageName(Path path, Optional<String> refName) {
    if (refName.isPresent() && (refName.get().contains("/") || refName.get().contains(":"))) {
      String r = refName.get();
      return r.lastIndexOf(':') > r.lastIndexOf('/') ? r : r + ":latest";
    }
    Path fileName = path.toAbsolutePath().normalize().getFileName();
    String base = fileName == null ? "image" : fileName.toString();
    for (String ext : new String[] {".tar", ".oci"}) {
      if (base.endsWith(ext) && base.length() > ext.length()) {
        base = base.substring(0, base.length() - ext.length());
      }
    }
    return base + ":" + refName.orElse("latest");
  }
}
