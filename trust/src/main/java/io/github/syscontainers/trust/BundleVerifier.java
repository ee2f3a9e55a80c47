package io.github.syscontainers.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.registry.TopManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a Sigstore bundle for an image offline, as sigstore-js's {@code Verifier} does with a transparency log
 * threshold of one and no CT log, and then for the image: every log entry records this content and is included
 * (promise or proof) in a log of the policy; the time of the entries with a verified promise is when the signature
 * was made, and the certificate must chain to the Fulcio CA then, for the policy's issuer and e-mail (or the bundle
 * names a public key, and a key of the policy verifies it); the signature verifies; and what it signs is this
 * manifest: a message signature over its bytes, or a DSSE in-toto statement whose subject is its digest and whose
 * predicate type is cosign's signature's ({@code https://sigstore.dev/cosign/sign/v1}; attestations are not
 * signatures).
 *
 * <p>Immutable and thread-safe.
 */
final class BundleVerifier {
  static final String SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A bundle verified: who signed (the certificate's identity or the key) and when the log recorded it. */
  record Verified(String signer, Instant logged) {}

  private final LogEntryVerifier logs;
  private final Optional<FulcioVerifier> fulcio;
  private final List<PublicKey> keys;

  BundleVerifier(List<PublicKey> logKeys, Optional<FulcioVerifier> fulcio, List<PublicKey> keys) {
    this.logs = new LogEntryVerifier(logKeys);
    this.fulcio = fulcio;
    this.keys = List.copyOf(keys);
  }

  Verified verify(SigstoreBundle b, TopManifest manifest) throws TrustException {
    if (b.entries().isEmpty()) {
      throw new TrustException("the bundle has no transparency log entry; one is needed");
    }
    Optional<byte[]> certDer = b.certificates().isEmpty() ? Optional.empty() : Optional.of(b.certificates().get(0));
    List<Instant> times = new ArrayList<>();
    for (SigstoreBundle.TlogEntry e : b.entries()) {
      LogEntryVerifier.bodyMatches(e, b.content(), certDer);
      if (logs.verify(e) == LogEntryVerifier.Inclusion.PROMISE) {
        times.add(Instant.ofEpochSecond(e.integratedTime()));
      }
    }
    if (times.isEmpty()) {
      throw new TrustException("the bundle has no verified time: no log entry carries an inclusion promise (and no"
          + " timestamp authority is trusted)");
    }
    PublicKey key;
    String signer;
    if (certDer.isPresent()) {
      if (fulcio.isEmpty()) {
        throw new TrustException("the bundle is signed with a certificate, and the requirement trusts public keys");
      }
      X509Certificate leaf = Pem.certificate(certDer.get(), "its certificate");
      List<X509Certificate> chain = new ArrayList<>();
      for (byte[] c : b.certificates().subList(1, b.certificates().size())) {
        chain.add(Pem.certificate(c, "a certificate of its chain"));
      }
      // valid at every time a log vouches for
      for (Instant t : times) {
        fulcio.get().verify(t, leaf, chain);
      }
      key = leaf.getPublicKey();
      signer = "keyless by " + String.join(", ", FulcioVerifier.emails(leaf)) + " (" + FulcioVerifier.issuer(leaf)
          + ")";
    } else {
      if (keys.isEmpty()) {
        throw new TrustException("the bundle is signed with a public key, and the requirement trusts Fulcio"
            + " certificates");
      }
      key = keys.stream().filter(k -> verifies(b.content(), manifest, k)).findFirst().orElseThrow(
          () -> new TrustException("cryptographic signature verification failed: no public key of the policy made it"));
      signer = "by key " + SigstoreKeys.fingerprint(key);
    }
    if (certDer.isPresent() && !verifies(b.content(), manifest, key)) {
      throw new TrustException("cryptographic signature verification of the bundle failed");
    }
    subject(b.content(), manifest);
    return new Verified(signer, times.get(0));
  }

  /** Whether {@code key} made the content's signature. */
  private static boolean verifies(SigstoreBundle.Content c, TopManifest manifest, PublicKey key) {
    byte[] data;
    byte[] sig;
    if (c instanceof SigstoreBundle.MessageSignature) {
      data = manifest.bytes();
      sig = ((SigstoreBundle.MessageSignature) c).signature();
    } else {
      SigstoreBundle.Dsse d = (SigstoreBundle.Dsse) c;
      data = pae(d.payloadType(), d.payload());
      sig = d.signature();
    }
    return SigstoreKeys.verifies(key, data, sig);
  }

  /** What the bundle signs must be this manifest. */
  private static void subject(SigstoreBundle.Content c, TopManifest manifest) throws TrustException {
    String hex = manifest.digest().hex();
    if (c instanceof SigstoreBundle.MessageSignature) {
      SigstoreBundle.MessageSignature m = (SigstoreBundle.MessageSignature) c;
      if (!m.algorithm().equals("SHA2_256") || !Arrays.equals(m.digest(), HexFormat.of().parseHex(hex))) {
        throw new TrustException("the bundle signs the digest " + m.algorithm() + ":"
            + HexFormat.of().formatHex(m.digest()) + ", not this image's " + manifest.digest());
      }
      return;
    }
    SigstoreBundle.Dsse d = (SigstoreBundle.Dsse) c;
    if (!d.payloadType().equals("application/vnd.in-toto+json")) {
      throw new TrustException("the bundle's DSSE payload is " + d.payloadType() + ", not an in-toto statement");
    }
    JsonNode statement;
    try {
      statement = JSON.readTree(d.payload());
    } catch (IOException e) {
      throw new TrustException("the bundle's in-toto statement is not valid JSON", e);
    }
    String predicate = statement.path("predicateType").asText("");
    if (!predicate.equals(SIGN_PREDICATE)) {
      throw new TrustException("the bundle is an attestation (" + predicate + "), not a signature ("
          + SIGN_PREDICATE + ")");
    }
    for (JsonNode s : statement.path("subject")) {
      if (hex.equals(s.path("digest").path("sha256").asText())) {
        return;
      }
    }
    throw new TrustException("the bundle's statement is about other digests than this image's " + manifest.digest());
  }

  /** DSSE's pre-authentication encoding. */
  static byte[] pae(String type, byte[] payload) {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + t.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] mid = (" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + t.length + mid.length + payload.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(t, 0, out, head.length, t.length);
    System.arraycopy(mid, 0, out, head.length + t.length, mid.length);
    System.arraycopy(payload, 0, out, head.length + t.length + mid.length, payload.length);
    return out;
  }

}
