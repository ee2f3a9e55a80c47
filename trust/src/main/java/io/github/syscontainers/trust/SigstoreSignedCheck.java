package io.github.syscontainers.trust;

import io.github.syscontainers.registry.TopManifest;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a {@code sigstoreSigned} requirement as containers/image does: each cosign signature of the image is
 * verified with the policy's public keys (and, when the policy names Rekor keys, only with the key a Rekor SET
 * vouches for), or keyless: the SET vouches for the signature and the Fulcio certificate that made it, and the
 * certificate chains to the policy's Fulcio CA, at the time the log recorded it, for the policy's OIDC issuer and
 * e-mail. Then the payload must name this manifest and an identity the rule accepts. GPG signatures do not count.
 *
 * <p>Thread-safe.
 */
final class SigstoreSignedCheck {
  static final String SET_ANNOTATION = "dev.sigstore.cosign/bundle";
  static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
  static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";

  private final Keyrings keyrings;

  SigstoreSignedCheck(Keyrings keyrings) {
    this.keyrings = keyrings;
  }

  /**
   * The key that made a signature and how it was vouched for; {@code verified} when finding it already checked the
   * signature.
   */
  private record Signer(PublicKey key, String who, boolean verified) {}

  /** Null when one sigstore signature satisfies {@code s}; otherwise why none did. */
  String check(Requirement.SigstoreSigned s, ImageIdentity image, TopManifest manifest, List<SignatureBlob> sigs,
      Map<Integer, byte[]> accepted, List<String> vouchers) throws TrustException {
    if (s.keyless().equals(Optional.of("pki"))) {
      return "needs pki certificates verified, which this version of syscontainers cannot do yet (public keys and"
          + " Fulcio it checks)";
    }
    List<String> reasons = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < sigs.size(); i++) {
      if (!(sigs.get(i) instanceof SignatureBlob.Sigstore)) {
        continue;
      }
      SignatureBlob.Sigstore sig = (SignatureBlob.Sigstore) sigs.get(i);
      if (SigstoreBundle.isBundle(sig.mimeType())) {
        n++;
        try {
          String who = bundle(s, image, manifest, sig.payload());
          accepted.put(i, sig.encoded());
          vouchers.add("sigstore bundle signed " + who + ", for the digest");
          return null;
        } catch (TrustException e) {
          reasons.add("bundle " + (i + 1) + ": " + e.getMessage());
        }
        continue;
      }
      if (!sig.mimeType().equals(SignatureBlob.COSIGN_MEDIA_TYPE)) {
        continue;
      }
      n++;
      try {
        String b64 = annotation(sig, SignatureBlob.SIGNATURE_ANNOTATION);
        Signer signer = signer(s, sig, b64);
        if (!signer.verified()) {
          SigstoreKeys.ofKeys(List.of(signer.key())).verify(sig.payload(), b64);
        }
        SimpleSignature payload = SimpleSignature.parseSigstore(sig.payload());
        String mismatch = PolicyEvaluator.mismatch(s.identity(), image, manifest, payload, i);
        if (mismatch != null) {
          reasons.add(mismatch);
          continue;
        }
        accepted.put(i, sig.encoded());
        vouchers.add("sigstore-signed " + signer.who() + " as " + payload.dockerReference());
        return null;
      } catch (TrustException e) {
        reasons.add("signature " + (i + 1) + ": " + e.getMessage());
      }
    }
    if (n == 0) {
      int others = sigs.size();
      return "no sigstore signature of the image satisfies: it has none"
          + (others == 0 ? "" : " (only " + others + " GPG or other signature" + (others > 1 ? "s" : "") + ")");
    }
    return "none of its " + n + " sigstore signature" + (n > 1 ? "s" : "") + " satisfies ("
        + String.join("; ", reasons) + ")";
  }

  /**
   * Verifies a Sigstore bundle. A bundle signs a digest and claims no Docker reference, so the identity rules that
   * compare a claimed reference with the image's own accept it as vouching for the image where it was found
   * ({@code matchRepoDigestOrExact}, {@code matchExact}, {@code matchRepository}); those that name a reference or
   * repository to claim ({@code exactReference}, {@code exactRepository}, {@code remapIdentity}) cannot be met. An
   * image without a registry reference (an OCI layout or archive) has nothing to compare either: there too the
   * bundle vouches for the digest, under the first three rules.
   */
  private String bundle(Requirement.SigstoreSigned s, ImageIdentity image, TopManifest manifest, byte[] json)
      throws TrustException {
    SignedIdentity rule = s.identity();
    if (!(rule instanceof SignedIdentity.MatchRepoDigestOrExact || rule instanceof SignedIdentity.MatchExact
        || rule instanceof SignedIdentity.MatchRepository)) {
      throw new TrustException("a Sigstore bundle signs a digest and names no Docker reference, which "
          + rule.describe() + " needs");
    }
    if (s.rekorKeys().isEmpty()) {
      throw new TrustException("a Sigstore bundle's log entry needs the policy's Rekor keys (rekorPublicKeyPath or"
          + " rekorPublicKeyData) to be checked");
    }
    Optional<FulcioVerifier> f = s.fulcio().isPresent() ? Optional.of(keyrings.fulcio(s.fulcio().get()))
        : Optional.empty();
    List<PublicKey> keys = s.keys().isPresent() ? keyrings.sigstore(s.keys().get()).keys() : List.of();
    BundleVerifier.Verified v = new BundleVerifier(rekorKeys(s), f, keys).verify(SigstoreBundle.parse(json),
        manifest);
    return v.signer() + ", logged by Rekor at " + v.logged();
  }

  /** The key that may have made {@code sig}, as the requirement's trust root establishes it. */
  private Signer signer(Requirement.SigstoreSigned s, SignatureBlob.Sigstore sig, String b64) throws TrustException {
    if (s.fulcio().isPresent()) {
      Requirement.Fulcio f = s.fulcio().get();
      byte[] set = annotation(sig, SET_ANNOTATION).getBytes(StandardCharsets.UTF_8);
      byte[] cert = annotation(sig, CERTIFICATE_ANNOTATION).getBytes(StandardCharsets.UTF_8);
      Optional<byte[]> chain = Optional.ofNullable(sig.annotations().get(CHAIN_ANNOTATION))
          .map(c -> c.getBytes(StandardCharsets.UTF_8));
      Instant logged = RekorSet.verify(rekorKeys(s), set, Pem.singleDer(cert, "its certificate"), b64, sig.payload());
      PublicKey key = keyrings.fulcio(f).verify(logged, cert, chain);
      return new Signer(key, "keyless by " + f.subjectEmail() + " (" + f.oidcIssuer() + "), logged by Rekor at "
          + logged, false);
    }
    List<PublicKey> keys = keyrings.sigstore(s.keys().orElseThrow()).keys();
    if (s.rekorKeys().isEmpty()) {
      // whichever key verifies the signature
      String fingerprint = SigstoreKeys.ofKeys(keys).verify(sig.payload(), b64);
      for (PublicKey k : keys) {
        if (SigstoreKeys.fingerprint(k).equals(fingerprint)) {
          return new Signer(k, "by key " + fingerprint, true);
        }
      }
    }
    byte[] set = annotation(sig, SET_ANNOTATION).getBytes(StandardCharsets.UTF_8);
    List<String> failures = new ArrayList<>();
    for (PublicKey k : keys) {
      try {
        Instant logged = RekorSet.verify(rekorKeys(s), set, k.getEncoded(), b64, sig.payload());
        return new Signer(k, "by key " + SigstoreKeys.fingerprint(k) + ", logged by Rekor at " + logged, false);
      } catch (TrustException e) {
        failures.add(e.getMessage());
      }
    }
    throw new TrustException("no public key verified against its Rekor SET: " + String.join(", ", failures));
  }

  private List<PublicKey> rekorKeys(Requirement.SigstoreSigned s) throws TrustException {
    return keyrings.sigstore(s.rekorKeys().orElseThrow()).keys();
  }

  private static String annotation(SignatureBlob.Sigstore sig, String name) throws TrustException {
    String v = sig.annotations().get(name);
    if (v == null) {
      throw new TrustException("missing " + name + " annotation");
    }
    return v;
  }
}
