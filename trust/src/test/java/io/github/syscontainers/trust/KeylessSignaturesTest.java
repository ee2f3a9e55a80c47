package io.github.syscontainers.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Cosign;
import io.github.syscontainers.fixtures.SigstorePki;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.registry.TopManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keyless sigstore signatures in cosign's attachment format (issue 29), as containers/image checks them: a Fulcio
 * certificate chaining to the policy's CA at the time a Rekor SET (by the policy's Rekor key) says the signature was
 * logged, for the policy's issuer and e-mail; and public keys with a Rekor SET. Each refusal names what failed.
 */
class KeylessSignaturesTest {
  static final String EMAIL = "release@example.com";
  static final String ISSUER = "https://oidc.example.com";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
  static final Digest DIGEST = Digest.sha256Of(MANIFEST);
  static final String REF = "registry.example.com/app:1";

  static SigstorePki pki;
  static SigstorePki other;

  @BeforeAll
  static void trustRoots() throws Exception {
    pki = SigstorePki.create(T0);
    other = SigstorePki.create(T0);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String policy(SigstorePki ca, SigstorePki rekor, String email, String issuer) {
    return "{\"default\":[{\"type\":\"sigstoreSigned\",\"fulcio\":{\"caData\":\"" + b64(ca.rootPem())
        + "\",\"oidcIssuer\":\"" + issuer + "\",\"subjectEmail\":\"" + email + "\"},\"rekorPublicKeyData\":\""
        + b64(rekor.rekorPublicPem()) + "\"}]}";
  }

  /** The verdict on one sigstore signature with these annotations; null when accepted, else the error. */
  private static String verdict(String policyJson, byte[] payload, Map<String, String> annotations) {
    try {
      Policy policy = PolicyParser.parse(policyJson.getBytes(StandardCharsets.UTF_8), "policy.json");
      PolicyEvaluator e = new PolicyEvaluator(policy, new Keyrings(Path.of("/")), Clock.systemUTC());
      Map<String, String> a = new HashMap<>(annotations);
      byte[] blob = new SignatureBlob.Sigstore(SignatureBlob.COSIGN_MEDIA_TYPE, payload, a).encoded();
      Verdict v = e.evaluate(ImageIdentity.docker(ImageReference.parse(REF)), new TopManifest(MANIFEST, DIGEST),
          () -> List.of(blob));
      assertThat(v.describe()).contains("keyless by " + EMAIL);
      return null;
    } catch (TrustException ex) {
      return ex.getMessage();
    }
  }

  private static byte[] payload(Digest d, String ref) {
    return Cosign.payload(d.toString(), ref);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v2", "both"})
  void aFulcioCertificateWithEitherIssuerExtensionIsAccepted(String extensions) throws Exception {
    SigstorePki.Leaf leaf = pki.issue(EMAIL, ISSUER, extensions, T0.plusSeconds(60), Duration.ofMinutes(10));
    byte[] p = payload(DIGEST, REF);
    assertThat(verdict(policy(pki, pki, EMAIL, ISSUER), p, pki.keyless(leaf, p, T0.plusSeconds(120)))).isNull();
  }

  @Test
  void refusals() throws Exception {
    String policy = policy(pki, pki, EMAIL, ISSUER);
    byte[] p = payload(DIGEST, REF);
    SigstorePki.Leaf leaf = pki.issue(EMAIL, ISSUER, "both", T0.plusSeconds(60), Duration.ofMinutes(10));
    Instant inside = T0.plusSeconds(120);

    // a chain that does not end at the CA: another CA's certificate, with that CA's chain
    SigstorePki.Leaf foreign = other.issue(EMAIL, ISSUER, "both", T0.plusSeconds(60), Duration.ofMinutes(10));
    Map<String, String> a = other.keyless(foreign, p, inside);
    a.put("dev.sigstore.cosign/bundle", pki.set(pki.rekorKey().getPrivate(), p, a.get(Cosign.ANNOTATION),
        foreign.pem(), inside));
    assertThat(verdict(policy, p, a)).contains("does not chain to the Fulcio CA of the policy");

    // another e-mail, another issuer
    SigstorePki.Leaf mallory = pki.issue("mallory@example.com", ISSUER, "both", T0.plusSeconds(60),
        Duration.ofMinutes(10));
    assertThat(verdict(policy, p, pki.keyless(mallory, p, inside)))
        .contains("is for [mallory@example.com], not " + EMAIL);
    SigstorePki.Leaf otherIssuer = pki.issue(EMAIL, "https://evil.example.com", "v2", T0.plusSeconds(60),
        Duration.ofMinutes(10));
    assertThat(verdict(policy, p, pki.keyless(otherIssuer, p, inside)))
        .contains("from the OIDC issuer \"https://evil.example.com\", not \"" + ISSUER + "\"");

    // logged after the certificate expired (signing time outside validity)
    assertThat(verdict(policy, p, pki.keyless(leaf, p, T0.plusSeconds(3600))))
        .contains("was not valid at " + T0.plusSeconds(3600));

    // a Rekor entry for another artifact: the SET names the hash of another payload
    Map<String, String> replayed = pki.keyless(leaf, p, inside);
    byte[] otherPayload = payload(DIGEST, "registry.example.com/other:1");
    replayed.put("dev.sigstore.cosign/bundle", pki.set(pki.rekorKey().getPrivate(), otherPayload,
        replayed.get(Cosign.ANNOTATION), leaf.pem(), inside));
    assertThat(verdict(policy, p, replayed)).contains("its Rekor entry is for another artifact");

    // a SET by a log the policy does not trust
    Map<String, String> otherLog = pki.keyless(leaf, p, inside);
    otherLog.put("dev.sigstore.cosign/bundle", pki.set(other.rekorKey().getPrivate(), p,
        otherLog.get(Cosign.ANNOTATION), leaf.pem(), inside));
    assertThat(verdict(policy, p, otherLog)).contains("verification of its Rekor SET failed");

    // a SET whose payload was changed after signing (integratedTime moved into the validity)
    Map<String, String> tampered = pki.keyless(leaf, p, T0.plusSeconds(3600));
    tampered.put("dev.sigstore.cosign/bundle", tampered.get("dev.sigstore.cosign/bundle")
        .replace("\"integratedTime\":" + T0.plusSeconds(3600).getEpochSecond(),
            "\"integratedTime\":" + inside.getEpochSecond()));
    assertThat(verdict(policy, p, tampered)).contains("verification of its Rekor SET failed");

    // the signature's payload names another digest
    byte[] elsewhere = payload(Digest.sha256Of(new byte[] {1}), REF);
    assertThat(verdict(policy, elsewhere, pki.keyless(leaf, elsewhere, inside))).contains("is for the digest");

    // the certificate annotation missing; the SET missing
    Map<String, String> noCert = pki.keyless(leaf, p, inside);
    noCert.remove("dev.sigstore.cosign/certificate");
    assertThat(verdict(policy, p, noCert)).contains("missing dev.sigstore.cosign/certificate annotation");
    Map<String, String> noSet = pki.keyless(leaf, p, inside);
    noSet.remove("dev.sigstore.cosign/bundle");
    assertThat(verdict(policy, p, noSet)).contains("missing dev.sigstore.cosign/bundle annotation");

    // a policy whose fulcio lacks a subject e-mail is invalid, never "accept"
    assertThat(verdict(policy.replace("\"subjectEmail\":\"" + EMAIL + "\"", "\"subjectEmail\":\"\""), p,
        pki.keyless(leaf, p, inside))).contains("needs a non-empty oidcIssuer and subjectEmail");
  }

  @Test
  void publicKeysWithARekorKeyNeedTheSetForThatKey() throws Exception {
    java.security.KeyPair key = Cosign.newKey();
    String policy = "{\"default\":[{\"type\":\"sigstoreSigned\",\"keyData\":\"" + b64(Cosign.publicPem(key.getPublic()))
        + "\",\"rekorPublicKeyData\":\"" + b64(pki.rekorPublicPem()) + "\"}]}";
    byte[] p = payload(DIGEST, REF);
    Cosign.Sig sig = Cosign.sign(key.getPrivate(), p);
    Map<String, String> a = new HashMap<>(Map.of(Cosign.ANNOTATION, sig.signature()));
    a.put("dev.sigstore.cosign/bundle", pki.set(pki.rekorKey().getPrivate(), p, sig.signature(),
        Cosign.publicPem(key.getPublic()), T0));
    Policy parsed = null;
    try {
      parsed = PolicyParser.parse(policy.getBytes(StandardCharsets.UTF_8), "policy.json");
      Verdict v = new PolicyEvaluator(parsed, new Keyrings(Path.of("/")), Clock.systemUTC()).evaluate(
          ImageIdentity.docker(ImageReference.parse(REF)), new TopManifest(MANIFEST, DIGEST),
          () -> List.of(new SignatureBlob.Sigstore(SignatureBlob.COSIGN_MEDIA_TYPE, p, a).encoded()));
      assertThat(v.describe()).contains("logged by Rekor at " + T0);
    } catch (TrustException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    // without its SET, or with a SET for another key, refused
    Map<String, String> noSet = Map.of(Cosign.ANNOTATION, sig.signature());
    Policy policyFinal = parsed;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PolicyEvaluator(policyFinal,
        new Keyrings(Path.of("/")), Clock.systemUTC()).evaluate(ImageIdentity.docker(ImageReference.parse(REF)),
            new TopManifest(MANIFEST, DIGEST),
            () -> List.of(new SignatureBlob.Sigstore(SignatureBlob.COSIGN_MEDIA_TYPE, p, noSet).encoded())))
        .hasMessageContaining("missing dev.sigstore.cosign/bundle annotation");
    java.security.KeyPair otherKey = Cosign.newKey();
    Map<String, String> wrongKeySet = new HashMap<>(a);
    wrongKeySet.put("dev.sigstore.cosign/bundle", pki.set(pki.rekorKey().getPrivate(), p, sig.signature(),
        Cosign.publicPem(otherKey.getPublic()), T0));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PolicyEvaluator(policyFinal,
        new Keyrings(Path.of("/")), Clock.systemUTC()).evaluate(ImageIdentity.docker(ImageReference.parse(REF)),
            new TopManifest(MANIFEST, DIGEST),
            () -> List.of(new SignatureBlob.Sigstore(SignatureBlob.COSIGN_MEDIA_TYPE, p, wrongKeySet).encoded())))
        .hasMessageContaining("no public key verified against its Rekor SET")
        .hasMessageContaining("for another key or certificate");
  }
}
