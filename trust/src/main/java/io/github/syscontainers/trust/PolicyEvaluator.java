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
  private final SigstoreSignedCheck sigstore;

  PolicyEvaluator(Policy policy, Keyrings keyrings, Clock clock) {
    this.policy = policy;
    this.keyrings = keyrings;
    this.sigstore = new SigstoreSignedCheck(keyrings);
    this.clock = clock;
  }

  /**
   * Evaluates the policy for {@code image}, whose reference named {@code manifest}.
   *
   * @throws TrustException naming the image, the scope, the requirement that failed and why
   */
  Verdict evaluate(ImageIdentity image, TopManifest manifest, Signatures source) throws TrustException {
    Policy.Scoped scoped = policy.requirementsFor(image);
    List<SignatureBlob> sigs = null;
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
        sigs = sigs == null ? blobs(source.read()) : sigs;
        failure = sigstore.check((Requirement.SigstoreSigned) r, image, manifest, sigs, accepted, vouchers);
      } else {
        Requirement.SignedBy s = (Requirement.SignedBy) r;
        if (!s.keyType().equals("GPGKeys")) {
          failure = "uses keyType " + s.keyType() + ", which containers/image does not implement either";
        } else {
          sigs = sigs == null ? blobs(source.read()) : sigs;
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

  /** The signatures, read as stored signatures; one that is neither format is kept as a GPG one, which fails. */
  private static List<SignatureBlob> blobs(List<byte[]> raw) {
    List<SignatureBlob> out = new ArrayList<>();
    for (byte[] b : raw) {
      try {
        out.add(SignatureBlob.parse(b));
      } catch (TrustException e) {
        out.add(new SignatureBlob.SimpleSigning(b));
      }
    }
    return out;
  }

  /** Null when one GPG signature satisfies {@code s}; otherwise why none did. Sigstore signatures do not count. */
  private String signedBy(Requirement.SignedBy s, ImageIdentity image, TopManifest manifest, List<SignatureBlob> sigs,
      Map<Integer, byte[]> accepted, List<String> vouchers) throws TrustException {
    if (sigs.stream().noneMatch(b -> b instanceof SignatureBlob.SimpleSigning)) {
      return "no signature of the image satisfies: it has none" + others(sigs.size(), "sigstore");
    }
    OpenPgpVerifier keys = keyrings.gpg(s.keys());
    List<String> reasons = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < sigs.size(); i++) {
      if (!(sigs.get(i) instanceof SignatureBlob.SimpleSigning)) {
        continue;
      }
      n++;
      byte[] raw = ((SignatureBlob.SimpleSigning) sigs.get(i)).message();
      try {
        OpenPgpVerifier.Verified v = keys.verify(raw, clock.instant());
        SimpleSignature payload = SimpleSignature.parse(v.payload());
        String mismatch = mismatch(s.identity(), image, manifest, payload, i);
        if (mismatch != null) {
          reasons.add(mismatch);
          continue;
        }
        accepted.put(i, raw);
        vouchers.add("signed by key " + v.keyFingerprint() + " as " + payload.dockerReference());
        return null;
      } catch (TrustException e) {
        reasons.add("signature " + (i + 1) + ": " + e.getMessage());
      }
    }
    return "none of its " + n + " signature" + (n > 1 ? "s" : "") + " satisfies (" + String.join("; ", reasons) + ")";
  }

  /** Null when a verified payload vouches for this image's manifest and an identity the rule accepts. */
  static String mismatch(SignedIdentity rule, ImageIdentity image, TopManifest manifest, SimpleSignature p,
      int i) {
    if (!manifest.matches(p.manifestDigest())) {
      return "signature " + (i + 1) + " is for the digest " + p.manifestDigest() + ", not this image's "
          + manifest.digest();
    }
    if (!rule.matches(image.dockerReference(), p.dockerReference())) {
      return "signature " + (i + 1) + " is for the identity \"" + p.dockerReference() + "\", which " + rule.describe()
          + " does not accept for " + image.dockerReference().map(DockerName::toString)
              .orElse("an image without a registry reference");
    }
    return null;
  }

  private static String others(int count, String kind) {
    return count == 0 ? "" : " (only " + count + " " + kind + " signature" + (count > 1 ? "s" : "") + ")";
  }

  private static String remedy(ImageIdentity image, Requirement r) {
    if ((r instanceof Requirement.SignedBy || r instanceof Requirement.SigstoreSigned)
        && image.transport().equals("docker")) {
      return "; sign it (syscontainers sign, skopeo copy --sign-by) where registries.d looks for its signatures,"
          + " or trust its signer's key for it in the policy";
    }
    if (r instanceof Requirement.Reject) {
      return "; allow its scope in the policy if the image is trusted";
    }
    if (r instanceof Requirement.SignedBy || r instanceof Requirement.SigstoreSigned) {
      return "; give the directory its signatures came in with --signature-dir DIR, or trust its signer's key for it"
          + " in the policy";
    }
    return "; change the policy if the image is trusted, or pull with --insecure-policy to skip it once";
  }
}
