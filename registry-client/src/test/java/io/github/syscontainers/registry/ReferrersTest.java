package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.Cosign;
import io.github.syscontainers.fixtures.FakeRegistry;
import io.github.syscontainers.fixtures.SigstoreBundles;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sigstore bundles found through OCI 1.1 referrers (issue 29), against a MockWebServer registry: the referrers API
 * (which docker-registry 2.8 lacks), the fallback tag when the API answers 404, and the caps: 10,000 referrers are
 * refused before any is fetched, a bundle declaring 100 MB is refused unread, a referrer about another manifest is
 * not a signature of this one.
 */
class ReferrersTest {
  static final TestImage IMAGE = TestImage.noiseAndText(2000, 3);
  static final String DIGEST = IMAGE.manifest().digest();

  FakeRegistry reg;
  final Map<String, MockResponse> routes = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    reg = new FakeRegistry(IMAGE);
    reg.always(r -> routes.get(r.getUrl().encodedPath()));
  }

  @AfterEach
  void stop() throws Exception {
    reg.close();
  }

  private static MockResponse body(String type, byte[] data) {
    return new MockResponse.Builder().setHeader("Content-Type", type).body(new Buffer().write(data)).build();
  }

  /** Serves a referrer's manifest and blobs. */
  private void serve(Cosign.Attachment a) {
    routes.put("/v2/img/manifests/" + a.manifest().digest(), body(a.manifest().mediaType(), a.manifest().data()));
    for (TestImage.Blob b : a.blobs()) {
      routes.put("/v2/img/blobs/" + b.digest(), body("application/octet-stream", b.data()));
    }
  }

  private List<SigstoreBundleBlob> bundles() throws Exception {
    try (ImageSource src = ImageSource.open(SourceReference.parse("docker://" + reg.ref()), RegistryFaultTest.OPTIONS)) {
      return src.sigstoreBundles(Digest.parse(DIGEST));
    }
  }

  @Test
  void theReferrersApiIsAskedFirstThenTheFallbackTag() throws Exception {
    Cosign.Attachment one = SigstoreBundles.referrer(DIGEST, IMAGE.manifest().data().length, "{\"b\":1}", -1);
    serve(one);
    routes.put("/v2/img/referrers/" + DIGEST, body("application/vnd.oci.image.index.v1+json",
        SigstoreBundles.referrersIndex(List.of(one)).data()));
    assertThat(bundles()).singleElement().satisfies(b -> {
      assertThat(b.mediaType()).isEqualTo(SigstoreBundles.BUNDLE_TYPE);
      assertThat(new String(b.json(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":1}");
    });
    assertThat(reg.requestsFor("/v2/img/referrers/" + DIGEST).get(0).getUrl().queryParameter("artifactType"))
        .isEqualTo(SigstoreBundles.BUNDLE_TYPE);
    assertThat(reg.requestsFor("/v2/img/manifests/" + DIGEST.replace(':', '-'))).isEmpty();

    // no API (404): the fallback tag sha256-HEX
    routes.remove("/v2/img/referrers/" + DIGEST);
    Cosign.Attachment two = SigstoreBundles.referrer(DIGEST, IMAGE.manifest().data().length, "{\"b\":2}", -1);
    serve(two);
    routes.put("/v2/img/manifests/" + DIGEST.replace(':', '-'), body("application/vnd.oci.image.index.v1+json",
        SigstoreBundles.referrersIndex(List.of(one, two)).data()));
    assertThat(bundles()).hasSize(2);

    // neither: no bundles
    routes.remove("/v2/img/manifests/" + DIGEST.replace(':', '-'));
    assertThat(bundles()).isEmpty();
  }

  @Test
  void tenThousandReferrersAreRefusedBeforeAnyIsFetched() throws Exception {
    List<Cosign.Attachment> many = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      many.add(SigstoreBundles.referrer(DIGEST, 1, "{\"n\":" + i + "}", -1));
    }
    routes.put("/v2/img/referrers/" + DIGEST, body("application/vnd.oci.image.index.v1+json",
        SigstoreBundles.referrersIndex(many).data()));
    assertThatThrownBy(this::bundles).isInstanceOf(RegistryException.class)
        .hasMessageContaining("lists 10000 referrers of " + DIGEST + "; more than 1000");
    assertThat(reg.requests.stream().filter(r -> r.getUrl().encodedPath().contains("/manifests/sha256:"))).isEmpty();
  }

  @Test
  void aBundleDeclaring100MbIsRefusedUnread() throws Exception {
    Cosign.Attachment big = SigstoreBundles.referrer(DIGEST, 1, "{\"big\":true}", 100_000_000L);
    serve(big);
    routes.put("/v2/img/referrers/" + DIGEST, body("application/vnd.oci.image.index.v1+json",
        SigstoreBundles.referrersIndex(List.of(big)).data()));
    assertThatThrownBy(this::bundles).isInstanceOf(RegistryException.class)
        .hasMessageContaining("is 100000000 bytes by its descriptor, over the 4194304-byte limit; not fetched");
    assertThat(reg.requestsFor("/v2/img/blobs/" + big.blobs().get(1).digest())).isEmpty();
  }

  @Test
  void aReferrerAboutAnotherManifestIsNotOneOfItsSignatures() throws Exception {
    Cosign.Attachment elsewhere = SigstoreBundles.referrer("sha256:" + "0".repeat(64), 1, "{}", -1);
    serve(elsewhere);
    routes.put("/v2/img/referrers/" + DIGEST, body("application/vnd.oci.image.index.v1+json",
        SigstoreBundles.referrersIndex(List.of(elsewhere)).data()));
    assertThat(bundles()).isEmpty();
  }
}
