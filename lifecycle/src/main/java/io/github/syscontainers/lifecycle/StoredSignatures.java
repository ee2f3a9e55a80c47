package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.registry.TopManifest;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import io.github.syscontainers.trust.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Checks an installed image against today's signature policy, offline: the signatures kept with it in the store
 * (as skopeo's ostree transport kept them, or as our pulls did), for the manifest they were made for, under the
 * identity of the source it came from ({@link ImageProvenance}; an image pulled by atomic, which recorded none, is
 * taken as the registry image its name says).
 */
public final class StoredSignatures {
  /**
   * The outcome.
   *
   * @param image the image name
   * @param signatures how many signatures are stored with it
   * @param accepted whether today's policy accepts it
   * @param detail the policy's decision, or its reason to refuse
   * @param recorded the decision recorded when it was pulled (empty for images pulled before, or by atomic)
   */
  public record Report(String image, int signatures, boolean accepted, String detail, String recorded) {}

  private StoredSignatures() {}

  public static Report recheck(ImageStore store, StoredImage image, TrustCheck trust) throws LifecycleException {
    try {
      ImageProvenance p = ImageProvenance.read(store, image);
      List<byte[]> signatures = store.signatures(image);
      SourceReference ref;
      try {
        ref = SourceReference.parse(p.source().orElse("docker://" + image.name()));
      } catch (IllegalArgumentException e) {
        throw new LifecycleException("The recorded source of " + image.name() + " cannot be read: " + e.getMessage());
      }
      byte[] signed = p.signedManifest().orElse(image.manifest()).getBytes(StandardCharsets.UTF_8);
      Digest digest = p.signedManifest().isPresent()
          ? Digest.sha256Of(signed) : image.manifestDigest().orElseGet(() -> Digest.sha256Of(signed));
      try {
        Verdict v = trust.recheck(ref, new TopManifest(signed, digest), signatures);
        return new Report(image.name(), signatures.size(), true, v.describe(), p.decision());
      } catch (TrustException e) {
        return new Report(image.name(), signatures.size(), false, e.getMessage(), p.decision());
      }
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }
}
