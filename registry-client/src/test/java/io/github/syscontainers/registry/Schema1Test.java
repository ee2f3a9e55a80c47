package io.github.syscontainers.registry;

import io.github.syscontainers.fixtures.FakeRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.model.Platform;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Docker schema 1 manifests, read-only: parsed with c/image's checks, digested over the JWS payload when signed,
 * resolved with sizes from the registry, and converted to schema 2 once the DiffIDs are known.
 */
class Schema1Test {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE_ID = "a".repeat(64);
  private static final String EMPTY_ID = "b".repeat(64);
  private static final String TOP_ID = "c".repeat(64);

  static final TestImage IMAGE =
      TestImage.builder()
          .layer(LayerBuilder.layer().file("etc/base", "base\n", 0644))
          .layer(LayerBuilder.layer().file("srv/top", "top\n", 0644))
          .build();

  FakeRegistry reg;

  @BeforeEach
  void start() throws Exception {
    reg = new FakeRegistry(IMAGE);
  }

  @AfterEach
  void stop() throws Exception {
    reg.close();
  }

  /** Top first, as schema 1 lists them: the top layer, a throwaway entry (a CMD), the base layer. */
  static ObjectNode manifest(String top, String base) {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 1);
    m.put("name", "img");
    m.put("tag", "1");
    m.put("architecture", "amd64");
    ArrayNode fs = m.putArray("fsLayers");
    fs.addObject().put("blobSum", top);
    fs.addObject().put("blobSum", "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4");
    fs.addObject().put("blobSum", base);
    ArrayNode history = m.putArray("history");
    history.addObject().put("v1Compatibility",
        "{\"id\":\"" + TOP_ID + "\",\"parent\":\"" + EMPTY_ID + "\",\"created\":\"2016-01-03T00:00:00Z\","
            + "\"architecture\":\"amd64\",\"os\":\"linux\",\"Size\":4,"
            + "\"config\":{\"Cmd\":[\"/srv/top\"],\"Env\":[\"A=1\"],\"Labels\":{\"atomic.type\":\"system\"}},"
            + "\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) ADD file in /srv\"]}}");
    history.addObject().put("v1Compatibility",
        "{\"id\":\"" + EMPTY_ID + "\",\"parent\":\"" + BASE_ID + "\",\"created\":\"2016-01-02T00:00:00Z\","
            + "\"throwaway\":true,\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) CMD [\\\"/srv/top\\\"]\"]}}");
    history.addObject().put("v1Compatibility",
        "{\"id\":\"" + BASE_ID + "\",\"created\":\"2016-01-01T00:00:00Z\",\"author\":\"me\","
            + "\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) ADD file in /\"]}}");
    return m;
  }

  static ObjectNode manifest() {
    return manifest(IMAGE.layers().get(1).digest(), IMAGE.layers().get(0).digest());
  }

  /** Signs the way libtrust formats it: the payload's last line moved into formatTail, a signatures array added. */
  static byte[] signed(ObjectNode m) throws Exception {
    return signed(m, List.of());
  }

  /** The same, with further signatures whose protected headers are {@code extraHeaders}, as given. */
  static byte[] signed(ObjectNode m, List<String> extraHeaders) throws Exception {
    String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
    int cut = pretty.lastIndexOf('\n');
    String tail = pretty.substring(cut);
    List<String> headers = new java.util.ArrayList<>();
    headers.add("{\"formatLength\":" + cut + ",\"formatTail\":\"" + b64(tail) + "\",\"time\":\"2016-01-03T00:00:00Z\"}");
    headers.addAll(extraHeaders);
    StringBuilder sigs = new StringBuilder(",\n   \"signatures\": [");
    for (int i = 0; i < headers.size(); i++) {
      sigs.append(i == 0 ? "" : ", ")
          .append("{\"header\": {\"alg\": \"ES256\"}, \"signature\": \"c2ln\", \"protected\": \"")
          .append(b64(headers.get(i)))
          .append("\"}");
    }
    sigs.append("]");
    return (pretty.substring(0, cut) + sigs + tail).getBytes(StandardCharsets.UTF_8);
  }

  static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private void serve(byte[] body, String type) {
    reg.always(
        r -> r.getUrl().encodedPath().startsWith("/v2/img/manifests/")
            ? new MockResponse.Builder().setHeader("Content-Type", type).body(new Buffer().write(body)).build()
            : null);
  }

  private ResolvedImage resolve(String ref) throws Exception {
    try (ImageSource src = ImageSource.open(SourceReference.parse(ref), RegistryFaultTest.OPTIONS)) {
      return src.resolve(Platform.parse("linux/amd64"));
    }
  }

  @Test
  void anUnsignedManifestResolvesToItsRealLayersWithSizesFromTheRegistry() throws Exception {
    serve(JSON.writeValueAsBytes(manifest()), MediaType.DOCKER_MANIFEST_V1);
    ResolvedImage r = resolve(reg.ref());

    assertThat(r.diffIdsPending()).isTrue();
    assertThat(r.config().diffIds()).isEmpty();
    assertThat(r.manifest().layers())
        .extracting(d -> d.digest().toString(), Descriptor::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(IMAGE.layers().get(0).digest(), (long) IMAGE.layers().get(0).data().length),
            org.assertj.core.groups.Tuple.tuple(IMAGE.layers().get(1).digest(), (long) IMAGE.layers().get(1).data().length));
    assertThat(reg.requestsFor(reg.blobPath(IMAGE.layers().get(0)))).extracting(x -> x.getMethod()).containsExactly("HEAD");
    assertThat(r.config().cmd()).containsExactly("/srv/top");
    assertThat(r.config().labels()).containsEntry("atomic.type", "system");
  }

  @Test
  void completingWithTheMeasuredDiffIdsGivesTheSchema2ImageSkopeoWouldStore() throws Exception {
    serve(JSON.writeValueAsBytes(manifest()), MediaType.DOCKER_MANIFEST_V1);
    ResolvedImage pending = resolve(reg.ref());
    List<Digest> diffIds = List.of(Digest.sha256Of(new byte[] {1}), Digest.sha256Of(new byte[] {2}));

    ResolvedImage done = pending.completed(diffIds);

    assertThat(done.diffIdsPending()).isFalse();
    assertThat(done.config().diffIds()).isEqualTo(diffIds);
    assertThat(done.manifestDigest()).isEqualTo(Digest.sha256Of(done.manifestBytes()));
    assertThat(done.manifest().config().digest()).isEqualTo(Digest.sha256Of(done.configBytes()));
    Manifest reparsed = ManifestParser.parse(done.manifestBytes(), "", "converted");
    assertThat(reparsed).isInstanceOfSatisfying(Manifest.Image.class, i -> {
      assertThat(i.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
      assertThat(i.layers()).isEqualTo(done.manifest().layers());
    });
    JsonNode config = JSON.readTree(done.configBytes());
    assertThat(config.has("id") || config.has("parent") || config.has("Size") || config.has("throwaway")).isFalse();
    assertThat(config.path("history")).hasSize(3);
    assertThat(config.path("history").get(0).path("author").asText()).isEqualTo("me");
    assertThat(config.path("history").get(1).path("empty_layer").asBoolean()).isTrue();
    assertThat(config.path("history").get(2).path("created_by").asText()).isEqualTo("/bin/sh -c #(nop) ADD file in /srv");
    assertThat(config.path("history").get(2).has("empty_layer")).isFalse();
  }

  @Test
  void aSignedManifestIsDigestedOverItsPayloadAndPinsByThatDigest() throws Exception {
    byte[] body = signed(manifest());
    String payload = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest());
    Digest expected = Digest.sha256Of(payload.getBytes(StandardCharsets.UTF_8));
    assertThat(ManifestParser.digestOf(body)).isEqualTo(expected).isNotEqualTo(Digest.sha256Of(body));
    serve(body, MediaType.DOCKER_MANIFEST_V1_SIGNED);

    assertThat(resolve(reg.ref().replace(":1", "@" + expected)).manifest().layers()).hasSize(2);
    assertThatThrownBy(() -> resolve(reg.ref().replace(":1", "@" + Digest.sha256Of(body))))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("does not match the requested digest");
  }

  @Test
  void signaturesThatDisagreeOrPointOutsideTheBodyAreRefused() throws Exception {
    int cut = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest()).lastIndexOf('\n');
    byte[] outside = signed(manifest(), List.of("{\"formatLength\":1000000,\"formatTail\":\"fQ\"}"));
    assertThatThrownBy(() -> ManifestParser.parse(outside, "", "img"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("gives formatLength 1000000");

    byte[] disagree = signed(manifest(), List.of("{\"formatLength\":" + cut + ",\"formatTail\":\"" + b64("\n}x") + "\"}"));
    assertThatThrownBy(() -> ManifestParser.parse(disagree, "", "img"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("disagree on its payload");

    byte[] agree = signed(manifest(), List.of("{\"formatLength\":" + cut + ",\"formatTail\":\"" + b64("\n}") + "\"}"));
    assertThat(ManifestParser.digestOf(agree)).isEqualTo(ManifestParser.digestOf(signed(manifest())));
  }

  @Test
  void malformedManifestsGetOneLineErrors() throws Exception {
    ObjectNode fewer = manifest();
    ((ArrayNode) fewer.path("history")).remove(0);
    assertThatThrownBy(() -> ManifestParser.parse(JSON.writeValueAsBytes(fewer), "", "img"))
        .hasMessageContaining("3 fsLayers but 2 history entries");

    ObjectNode broken = manifest();
    ((ObjectNode) broken.path("history").get(1)).put("v1Compatibility", "{\"id\":\"" + EMPTY_ID + "\",\"parent\":\"" + TOP_ID + "\"}");
    assertThatThrownBy(() -> ManifestParser.parse(JSON.writeValueAsBytes(broken), "", "img"))
        .hasMessageContaining("names parent");

    ObjectNode badBlob = manifest("sha256:../../etc/passwd", IMAGE.layers().get(0).digest());
    assertThatThrownBy(() -> ManifestParser.parse(JSON.writeValueAsBytes(badBlob), "", "img"))
        .hasMessageContaining("invalid blobSum");

    ObjectNode none = manifest();
    none.putArray("fsLayers");
    none.putArray("history");
    assertThatThrownBy(() -> ManifestParser.parse(JSON.writeValueAsBytes(none), "", "img"))
        .hasMessageContaining("no fsLayers");
  }

  @Test
  void aRepeatedEntryIsOneLayer() throws Exception {
    ObjectNode m = manifest();
    ((ArrayNode) m.path("fsLayers")).insert(0, m.path("fsLayers").get(0).deepCopy());
    ((ArrayNode) m.path("history")).insert(0, m.path("history").get(0).deepCopy());
    Manifest parsed = ManifestParser.parse(JSON.writeValueAsBytes(m), "", "img");
    assertThat(parsed).isInstanceOfSatisfying(Manifest.Schema1.class, s -> assertThat(s.blobSums()).hasSize(3));
  }
}
