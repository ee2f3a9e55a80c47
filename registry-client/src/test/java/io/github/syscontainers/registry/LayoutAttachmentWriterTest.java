package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sigstore attachments written into an OCI layout, as containers/image's oci: destination writes them. */
class LayoutAttachmentWriterTest {
  private static final String COSIGN = "application/vnd.dev.cosign.simplesigning.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void signaturesAccumulateInOneAttachmentManifestAndTheImageStaysTheOnlyImage() throws Exception {
    TestImage image = TestImage.noiseAndText(1000, 1);
    Path layout = tmp.resolve("layout");
    image.writeOciLayout(layout, "latest");
    Digest digest = Digest.parse(image.manifest().digest());
    SigstoreAttachment a = new SigstoreAttachment(COSIGN, "payload-a".getBytes(StandardCharsets.UTF_8),
        Map.of("dev.cosignproject.cosign/signature", "c2lnLWE="));
    SigstoreAttachment b = new SigstoreAttachment(COSIGN, "payload-b".getBytes(StandardCharsets.UTF_8),
        Map.of("dev.cosignproject.cosign/signature", "c2lnLWI="));

    LayoutAttachmentWriter.attach(layout, digest, List.of(a));
    LayoutAttachmentWriter.attach(layout, digest, List.of(b));
    // the same signature again is not a new layer
    Digest last = LayoutAttachmentWriter.attach(layout, digest, List.of(a));

    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertThat(index.path("manifests")).hasSize(2);
    JsonNode entry = index.path("manifests").get(1);
    assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText())
        .isEqualTo("sha256-" + digest.hex() + ".sig");
    assertThat(entry.path("digest").asText()).isEqualTo(last.toString());
    try (OciLayoutSource source = new OciLayoutSource(layout, Optional.empty())) {
      // the image is still the layout's only image, resolved without naming it
      assertThat(source.resolve(Platform.parse("linux/amd64")).manifestDigest()).isEqualTo(digest);
      List<Descriptor> layers = source.sigstoreAttachments(digest).orElseThrow();
      assertThat(layers).extracting(Descriptor::mediaType).containsExactly(COSIGN, COSIGN);
      assertThat(layers.get(0).annotations()).isEqualTo(a.annotations());
      assertThat(layers.get(1).annotations()).isEqualTo(b.annotations());
      assertThat(source.readSmallBlob(layers.get(1), 1 << 20, "b")).isEqualTo(b.payload());
      assertThat(source.sigstoreAttachments(Digest.sha256Of(new byte[0]))).isEmpty();
    }
    // the config lists one DiffID per layer, as an image config does
    JsonNode manifest = JSON.readTree(layout.resolve("blobs/sha256/" + last.hex()).toFile());
    JsonNode config = JSON.readTree(layout.resolve("blobs/sha256/" + manifest.path("config").path("digest").asText()
        .substring(7)).toFile());
    assertThat(config.path("rootfs").path("diff_ids")).hasSize(2);
    try (var files = Files.list(layout)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("index.json.tmp");
    }
  }

  @Test
  void aDirectoryThatIsNoLayoutIsRefused() {
    assertThatThrownBy(() -> LayoutAttachmentWriter.attach(tmp, Digest.sha256Of(new byte[0]), List.of()))
        .isInstanceOf(RegistryException.class).hasMessageContaining("has no index.json");
  }
}
