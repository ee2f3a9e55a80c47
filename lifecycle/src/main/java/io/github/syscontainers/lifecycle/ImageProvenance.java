package io.github.syscontainers.lifecycle;

import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.ImageCheck;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.registry.TopManifest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an image came from and why it was accepted, recorded in its image commit beside what skopeo recorded, so
 * that its signatures can be checked again offline ({@code verify}) and the decision shown ({@code images info}):
 * the source it was pulled from (its transport decides which policy scope applies), the manifest its signatures
 * were made for when that is not the stored one (an index, of which the host's manifest was stored), and the
 * policy's decision.
 *
 * @param source the source, as a transport reference ({@code docker://…}, {@code docker-archive:…})
 * @param signedManifest the manifest the reference named, when it is not the one stored
 * @param decision the policy's decision, in words; empty when no policy was applied
 */
public record ImageProvenance(Optional<String> source, Optional<String> signedManifest, String decision) {
  static final String SOURCE = "syscontainers.source";
  static final String SIGNED_MANIFEST = "syscontainers.signed-manifest";
  static final String DECISION = "syscontainers.trust";

  /** What a pull records. */
  static Map<String, String> of(SourceReference ref, ImageSource source, TopManifest top, byte[] stored,
      ImageCheck.Accepted accepted) {
    Map<String, String> md = new LinkedHashMap<>();
    md.put(SOURCE, text(ref, source));
    if (!java.util.Arrays.equals(top.bytes(), stored)) {
      md.put(SIGNED_MANIFEST, new String(top.bytes(), StandardCharsets.UTF_8));
    }
    if (!accepted.decision().isEmpty()) {
      md.put(DECISION, accepted.decision());
    }
    return md;
  }

  /** What the image commit of {@code image} records (nothing for images pulled before, or by atomic). */
  public static ImageProvenance read(ImageStore store, StoredImage image) throws ObjectStoreException {
    return new ImageProvenance(store.metadata(image, SOURCE), store.metadata(image, SIGNED_MANIFEST),
        store.metadata(image, DECISION).orElse(""));
  }

  /** A source as a transport reference, paths absolute. */
  static String text(SourceReference ref, ImageSource source) {
    if (ref instanceof SourceReference.Registry) {
      return "docker://" + source.servedReference().orElse(((SourceReference.Registry) ref).reference());
    }
    return ref.text();
  }
}
