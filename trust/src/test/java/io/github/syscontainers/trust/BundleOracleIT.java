package io.github.syscontainers.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Cosign;
import io.github.syscontainers.fixtures.SigstoreBundles;
import io.github.syscontainers.fixtures.SigstoreJs;
import io.github.syscontainers.fixtures.SigstorePki;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.registry.TopManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sigstore bundles judged twice (issue 29): by us, and by sigstore-js ({@code @sigstore/verify}, offline, a custom
 * trusted root made from the test CA and Rekor key, one transparency log entry needed, no CT log). For every bundle
 * the builder makes, accepted and refused alike, both verdicts must be the same; where they differ by design (what
 * the signature is about: the statement's subject digest and predicate type, which sigstore-js leaves to its caller)
 * the test says so.
 */
class BundleOracleIT {
  static final String EMAIL = "release@example.com";
  static final String ISSUER = "https://oidc.example.com";

  @TempDir Path tmp;

  record Case(String name, String bundle, boolean accept, boolean oursAlone) {}

  @Test
  void ourVerdictOnEveryBundleIsSigstoreJs() throws Exception {
    SigstoreJs oracle = SigstoreJs.require(tmp);
    Instant t0 = Instant.now().minus(Duration.ofDays(1));
    SigstorePki pki = SigstorePki.create(t0);
    SigstorePki other = SigstorePki.create(t0);
    byte[] manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
        .getBytes(StandardCharsets.UTF_8);
    Instant signed = Instant.now().minusSeconds(600);
    SigstorePki.Leaf leaf = pki.issue(EMAIL, ISSUER, "both", signed.minusSeconds(30), Duration.ofMinutes(10));
    SigstorePki.Leaf v1Only = pki.issue(EMAIL, ISSUER, "v1", signed.minusSeconds(30), Duration.ofMinutes(10));
    SigstorePki.Leaf mallory = pki.issue("mallory@example.com", ISSUER, "both", signed.minusSeconds(30),
        Duration.ofMinutes(10));
    SigstorePki.Leaf evilIssuer = pki.issue(EMAIL, "https://evil.example.com", "v2", signed.minusSeconds(30),
        Duration.ofMinutes(10));
    SigstorePki.Leaf foreign = other.issue(EMAIL, ISSUER, "both", signed.minusSeconds(30), Duration.ofMinutes(10));
    KeyPair plain = Cosign.newKey();

    List<Case> cases = new ArrayList<>();
    cases.add(new Case("0.3 DSSE", SigstoreBundles.of(pki, leaf, manifest, signed).json(), true, false));
    cases.add(new Case("0.2 DSSE, chain", SigstoreBundles.of(pki, leaf, manifest, signed).version("0.2").json(), true,
        false));
    cases.add(new Case("0.1 DSSE, chain", SigstoreBundles.of(pki, leaf, manifest, signed).version("0.1").json(), true,
        false));
    cases.add(new Case("0.3 message signature", SigstoreBundles.of(pki, leaf, manifest, signed).messageSignature()
        .json(), true, false));
    cases.add(new Case("issuer in the v1 extension only", SigstoreBundles.of(pki, v1Only, manifest, signed).json(),
        true, false));
    cases.add(new Case("0.3 promise only, no proof", SigstoreBundles.of(pki, leaf, manifest, signed).withoutProof()
        .json(), false, false));
    cases.add(new Case("0.1 proof only, no promise", SigstoreBundles.of(pki, leaf, manifest, signed).version("0.1")
        .withoutPromise().json(), false, false));
    cases.add(new Case("0.3 proof only: no trusted time", SigstoreBundles.of(pki, leaf, manifest, signed)
        .withoutPromise().json(), false, false));
    cases.add(new Case("another CA", SigstoreBundles.of(other, foreign, manifest, signed).loggedBy(pki.rekorKey())
        .json(), false, false));
    cases.add(new Case("another e-mail", SigstoreBundles.of(pki, mallory, manifest, signed).json(), false, false));
    cases.add(new Case("another issuer", SigstoreBundles.of(pki, evilIssuer, manifest, signed).json(), false, false));
    cases.add(new Case("logged after the certificate expired", SigstoreBundles.of(pki, leaf, manifest,
        signed.plusSeconds(3600)).json(), false, false));
    cases.add(new Case("a log entry for another artifact", SigstoreBundles.of(pki, leaf, manifest, signed)
        .entryFor("another".getBytes(StandardCharsets.UTF_8)).json(), false, false));
    cases.add(new Case("a broken inclusion proof", SigstoreBundles.of(pki, leaf, manifest, signed).brokenProof()
        .withoutPromise().version("0.2").json(), false, false));
    cases.add(new Case("a broken proof beside a good promise", SigstoreBundles.of(pki, leaf, manifest, signed)
        .brokenProof().json(), false, false));
    cases.add(new Case("logged by another log", SigstoreBundles.of(pki, leaf, manifest, signed)
        .loggedBy(other.rekorKey()).json(), false, false));
    cases.add(new Case("a statement about another digest", SigstoreBundles.of(pki, leaf, manifest, signed)
        .subjectDigest("00".repeat(32)).json(), false, true));
    cases.add(new Case("an attestation, not a signature", SigstoreBundles.of(pki, leaf, manifest, signed)
        .predicateType("https://slsa.dev/provenance/v1").json(), false, true));

    Path root = Files.writeString(tmp.resolve("trusted_root.json"), pki.trustedRootJson());
    Path artifact = Files.write(tmp.resolve("manifest.json"), manifest);
    String keyless = "{\"default\":[{\"type\":\"sigstoreSigned\",\"fulcio\":{\"caData\":\""
        + b64(pki.rootPem() + pem(pki)) + "\",\"oidcIssuer\":\"" + ISSUER + "\",\"subjectEmail\":\"" + EMAIL
        + "\"},\"rekorPublicKeyData\":\"" + b64(pki.rekorPublicPem()) + "\"}]}";
    Map<String, String> disagreements = new LinkedHashMap<>();
    int n = 0;
    for (Case c : cases) {
      Path bundle = Files.writeString(tmp.resolve("bundle-" + (n++) + ".json"), c.bundle());
      String theirs = oracle.verify(root, bundle, artifact, EMAIL, ISSUER);
      String ours = ours(keyless, manifest, c.bundle());
      boolean theyAccept = theirs.equals("OK");
      boolean weAccept = ours.equals("OK");
      System.out.println(c.name() + " | sigstore-js: " + theirs + " | ours: " + ours);
      assertThat(weAccept).as(c.name() + ": ours " + ours).isEqualTo(c.accept());
      if (c.oursAlone()) {
        assertThat(theyAccept).as(c.name() + ": sigstore-js leaves this to its caller: " + theirs).isTrue();
      } else if (theyAccept != weAccept) {
        disagreements.put(c.name(), "sigstore-js: " + theirs + "; ours: " + ours);
      }
    }
    // a bundle signed with a plain key, trusted as a key by both
    Path keyDer = Files.write(tmp.resolve("key.der"), plain.getPublic().getEncoded());
    String plainBundle = SigstoreBundles.of(pki, leaf, manifest, signed).plainKey(plain).json();
    Path pb = Files.writeString(tmp.resolve("plain.json"), plainBundle);
    String keyPolicy = "{\"default\":[{\"type\":\"sigstoreSigned\",\"keyData\":\"" + b64(Cosign.publicPem(
        plain.getPublic())) + "\",\"rekorPublicKeyData\":\"" + b64(pki.rekorPublicPem()) + "\"}]}";
    assertThat(oracle.verify(root, pb, artifact, "--key", keyDer.toString())).isEqualTo("OK");
    assertThat(ours(keyPolicy, manifest, plainBundle)).isEqualTo("OK");
    assertThat(disagreements).isEmpty();
  }

  /** Our verdict on one bundle as the image's only signature: OK, or the error. */
  private static String ours(String policy, byte[] manifest, String bundle) {
    try {
      PolicyEvaluator e = new PolicyEvaluator(PolicyParser.parse(policy.getBytes(StandardCharsets.UTF_8),
          "policy.json"), new Keyrings(Path.of("/")), Clock.systemUTC());
      byte[] blob = new SignatureBlob.Sigstore("application/vnd.dev.sigstore.bundle.v0.3+json",
          bundle.getBytes(StandardCharsets.UTF_8), Map.of()).encoded();
      e.evaluate(ImageIdentity.docker(ImageReference.parse("registry.example.com/app:1")),
          new TopManifest(manifest, Digest.sha256Of(manifest)), () -> List.of(blob));
      return "OK";
    } catch (TrustException ex) {
      return ex.getMessage();
    }
  }

  private static String pem(SigstorePki pki) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(
        pki.intermediate().getEncoded()) + "\n-----END CERTIFICATE-----\n";
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
