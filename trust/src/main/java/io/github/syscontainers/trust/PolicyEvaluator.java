package io.github.syscontainers.trust;

import io.github.syscontainers.registry.TopManifest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides on an image as containers/image's policy context does: the requirements of the most specific scope all
 * hold, or the image is refused. A {@code signedBy} requirement holds when one signature of the image verifies with
 * one of its keys, signs this very manifest, and claims an identity its {@code signedIdentity} accepts.
 *
 * <p>Thread-safe.
 */
final class PolicyEvaluator {
  /** Where the "simple signing" signatures of an image come from; read once, when a requirement needs them. */
  @FunctionalInterface
  interface Signatures {
    List<byte[]> read() throws TrustException;
  }

  private final Policy policy;
  private final Keyrings keyrings;
  private final Clock clock;

  PolicyEvaluator(Policy policy, Keyrings keyrings, Clock clock) {
    this.policy = policy;
    this.keyrings = keyrings;
    this.clock = clock;
  }

  /**
   * Evaluates the policy for {@code image}, whose reference named {@code manifest}.
   *
   * @throws TrustException naming the image, the scope, the requirement that failed and why
   */
  Verdict evaluate(ImageIdentity image, TopManifest manifest, Signatures source) throws TrustException {
    Policy.Scoped scoped = policy.requirementsFor(image);
    List<byte[]> sigs = null;
    Map<Integer, byte[]> accepted = new LinkedHashMap<>();
    List<String> vouchers = new ArrayList<>();
    for (Requirement r : scoped.requirements()) {
      String failure = null;
      if (r instanceof Requirement.InsecureAcceptAnything) {
        continue;
      } else if (r instanceof Requirement.Reject) {
        failure = "rejects every image";
      } else if (r instanceof Requirement.SignedBaseLayer) {
        failure = "is not implemented (as in containers/image), so it holds for no image";
      } else if (r instanceof Requirement.SigstoreSigned) {
        failure = "needs a sigstore signature, which this version of syscontainers cannot check yet";
      } else {
        Requirement.SignedBy s = (Requirement.SignedBy) r;
        if (!s.keyType().equals("GPGKeys")) {
          failure = "uses keyType " + s.keyType() + ", which containers/image does not implement either";
        } else {
          if (sigs == null) {
            sigs = source.read();
          }
          failure = signedBy(s, image, manifest, sigs, accepted, vouchers);
        }
      }
      if (failure != null) {
        throw new TrustException(
            "Refused " + image.display() + ": the signature policy " + policy.source() + ", at " + scoped.scope()
                + ", requires " + r.describe() + ", which " + failure + remedy(image, r));
      }
    }
    return new Verdict(policy.source(), scoped.scope(), new ArrayList<>(accepted.values()), vouchers);
  }

  /** Null when one signature satisfies {@code s}; otherwise why none did. */
  private String signedBy(Requirement.SignedBy s, ImageIdentity image, TopManifest manifest, List<byte[]> sigs,
      Map<Integer, byte[]> accepted, List<String> vouchers) throws TrustException {
    if (sigs.isEmpty()) {
      return "no signature of the image satisfies: it has none";
    }
    OpenPgpVerifier keys = keyrings.gpg(s.keys());
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < sigs.size(); i++) {
      try {
        OpenPgpVerifier.Verified v = keys.verify(sigs.get(i), clock.instant());
        SimpleSignature payload = SimpleSignature.parse(v.payload());
        if (!manifest.matches(payload.manifestDigest())) {
          reasons.add("signature " + (i + 1) + " is for the digest " + payload.manifestDigest() + ", not this image's "
              + manifest.digest());
          continue;
        }
        if (!s.identity().matches(image.dockerReference(), payload.dockerReference())) {
          reasons.add("signature " + (i + 1) + " is for the identity \"" + payload.dockerReference() + "\", which "
              + s.identity().describe() + " does not accept for " + image.dockerReference().map(DockerName::toString)
                  .orElse("an image without a registry reference"));
          continue;
        }
        accepted.put(i, sigs.get(i));
        vouchers.add("signed by key " + v.keyFingerprint() + " as " + payload.dockerReference());
        return null;
      } catch (TrustException e) {
        reasons.add("signature " + (i + 1) + ": " + e.getMessage());
      }
    }
    return "none of its " + sigs.size() + " signature" + (sigs.size() > 1 ? "s" : "") + " satisfies ("
        + String.join("; ", reasons) + ")";
  }

  private static String remedy(ImageIdentity image, Requirement r) {
    if (r instanceof Requirement.SignedBy && image.transport().equals("docker")) {
      return "; sign it (syscontainers sign, skopeo copy --sign-by) where registries.d looks for its signatures,"
          + " or trust its signer's key for it in the policy";
    }
    if (r instanceof Requirement.Reject) {
      return "; allow its scope in the policy if the image is trusted";
    }
    return "; change the policy if the image is trusted, or pull with --insecure-policy to skip it once";
  }
}
