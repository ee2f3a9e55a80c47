package io.github.syscontainers.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.SigstoreBundles;
import io.github.syscontainers.fixtures.SigstorePki;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.registry.TopManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which signedIdentity rules a Sigstore bundle meets (issue 29, docs/trust.md): a bundle signs a digest and claims no
 * Docker reference, so the rules that compare a claimed reference with the image's own accept it for the image it
 * was found with, registry images and layouts alike; the rules that name a reference to claim cannot be met.
 */
class BundleIdentityRulesTest {
  static final String EMAIL = "release@example.com";
  static final String ISSUER = "https://oidc.example.com";
  static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
  static String bundle;
  static SigstorePki pki;

  @BeforeAll
  static void sign() throws Exception {
    Instant t = Instant.now().minus(Duration.ofHours(1));
    pki = SigstorePki.create(t.minus(Duration.ofDays(1)));
    SigstorePki.Leaf leaf = pki.issue(EMAIL, ISSUER, "both", t.minusSeconds(30), Duration.ofMinutes(10));
    bundle = SigstoreBundles.of(pki, leaf, MANIFEST, t).json();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{'type':'matchRepoDigestOrExact'}|true",
    "{'type':'matchExact'}|true",
    "{'type':'matchRepository'}|true",
    "{'type':'exactReference','dockerReference':'registry.example.com/app:1'}|false",
    "{'type':'exactRepository','dockerRepository':'registry.example.com/app'}|false",
    "{'type':'remapIdentity','prefix':'registry.example.com','signedPrefix':'mirror.example.com'}|false",
  })
  void rulesThatCompareReferencesAcceptABundleAndRulesThatNameOneCannot(String rule, boolean accepted)
      throws Exception {
    String policy = ("{'default':[{'type':'sigstoreSigned','fulcio':{'caData':'" + b64(pki.rootPem() + pki.chainPem())
        + "','oidcIssuer':'" + ISSUER + "','subjectEmail':'" + EMAIL + "'},'rekorPublicKeyData':'"
        + b64(pki.rekorPublicPem()) + "','signedIdentity':" + rule + "}]}").replace('\'', '"');
    for (ImageIdentity image : List.of(ImageIdentity.docker(ImageReference.parse("registry.example.com/app:1")),
        ImageIdentity.of(SourceReference.parse("oci:/srv/layouts/app:1")))) {
      String verdict;
      try {
        new PolicyEvaluator(PolicyParser.parse(policy.getBytes(StandardCharsets.UTF_8), "policy.json"),
            new Keyrings(Path.of("/")), Clock.systemUTC()).evaluate(image, new TopManifest(MANIFEST,
                Digest.sha256Of(MANIFEST)), () -> List.of(new SignatureBlob.Sigstore(SigstoreBundles.BUNDLE_TYPE,
                    bundle.getBytes(StandardCharsets.UTF_8), Map.of()).encoded()));
        verdict = "OK";
      } catch (TrustException e) {
        verdict = e.getMessage();
      }
      if (accepted) {
        assertThat(verdict).as(image.display()).isEqualTo("OK");
      } else {
        assertThat(verdict).as(image.display()).contains("a Sigstore bundle signs a digest and names no Docker"
            + " reference");
      }
    }
  }

  /** The CA as a trusted root gives it: root and intermediate (a 0.3 bundle carries the leaf alone). */
  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
