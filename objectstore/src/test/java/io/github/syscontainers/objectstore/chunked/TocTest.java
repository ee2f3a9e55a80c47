package io.github.syscontainers.objectstore.chunked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a layer's annotations say of its table of contents, and the table as read: the current zstd:chunked kind,
 * the older one skopeo 1.9.3 writes, eStargz, and annotations or tables that do not hold.
 */
class TocTest {
  private static final String SHA = "sha256:" + "a".repeat(64);

  private static Descriptor layer(String type, Map<String, String> annotations) {
    return new Descriptor(type, Digest.parse("sha256:" + "b".repeat(64)), 1000, annotations, Optional.empty());
  }

  @Test
  void annotationsSayWhetherALayerCanBePulledInPart() {
    assertThat(ChunkedLayer.of(layer(MediaType.OCI_LAYER_GZIP, Map.of()))).isEmpty();
    assertThat(ChunkedLayer.of(layer(MediaType.OCI_LAYER_ZSTD, Map.of(
        ZstdChunkedWriter.MANIFEST_CHECKSUM, SHA, ZstdChunkedWriter.MANIFEST_POSITION, "100:50:200:1",
        ZstdChunkedWriter.TARSPLIT_POSITION, "158:20:90"))))
        .contains(new ChunkedLayer.Partial(Digest.parse(SHA), new ChunkedLayer.Position(100, 50, 200),
            new ChunkedLayer.Position(158, 20, 90)));
    assertThat(whole(Map.of(ZstdChunkedWriter.MANIFEST_CHECKSUM, SHA, ZstdChunkedWriter.MANIFEST_POSITION,
        "100:50:200:1"))).contains("without a tar-split record");
    assertThat(whole(Map.of(ZstdChunkedWriter.MANIFEST_CHECKSUM, SHA, ZstdChunkedWriter.MANIFEST_POSITION,
        "100:50:200:2", ZstdChunkedWriter.TARSPLIT_POSITION, "158:20:90"))).contains("of type 2, not 1");
    assertThat(whole(Map.of(ZstdChunkedWriter.MANIFEST_CHECKSUM, SHA, ZstdChunkedWriter.MANIFEST_POSITION,
        "100:x:200:1", ZstdChunkedWriter.TARSPLIT_POSITION, "158:20:90"))).contains("do not parse");
    assertThat(whole(Map.of(ZstdChunkedWriter.MANIFEST_CHECKSUM, SHA, ZstdChunkedWriter.MANIFEST_POSITION,
        "100:0:200:1", ZstdChunkedWriter.TARSPLIT_POSITION, "158:20:90"))).contains("out of range");
    assertThat(whole(Map.of("io.containers.zstd-chunked.manifest-checksum", SHA,
        "io.containers.zstd-chunked.manifest-position", "1:2:3:1"))).contains("older kind (as skopeo 1.9.3");
    assertThat(ChunkedLayer.of(layer(MediaType.OCI_LAYER_GZIP, Map.of("containerd.io/snapshot/stargz/toc.digest",
        SHA)))).hasValueSatisfying(c -> assertThat(((ChunkedLayer.Whole) c).reason()).contains("eStargz"));
  }

  private static String whole(Map<String, String> annotations) {
    return ((ChunkedLayer.Whole) ChunkedLayer.of(layer(MediaType.OCI_LAYER_ZSTD, annotations)).orElseThrow()).reason();
  }

  private static Toc parse(String json) throws IOException {
    return Toc.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTableIsReadWithItsFilesAndChunkEntriesPassedOver() throws Exception {
    Toc toc = parse("{\"version\":1,\"entries\":["
        + "{\"type\":\"dir\",\"name\":\"etc/\",\"mode\":493},"
        + "{\"type\":\"reg\",\"name\":\"etc/big\",\"size\":300,\"digest\":\"" + SHA + "\",\"offset\":10,"
        + "\"endOffset\":90,\"chunkSize\":100,\"chunkDigest\":\"" + SHA + "\",\"xattrs\":{\"user.a\":\"YQ==\"}},"
        + "{\"type\":\"chunk\",\"name\":\"etc/big\",\"chunkOffset\":100,\"chunkSize\":200,\"offset\":50},"
        + "{\"type\":\"reg\",\"name\":\"etc/empty\"},"
        + "{\"type\":\"symlink\",\"name\":\"etc/link\",\"linkName\":\"big\"}],"
        + "\"tarSplitDigest\":\"" + SHA + "\",\"future\":{\"field\":[1,2]}}");
    assertThat(toc.version()).isEqualTo(1);
    assertThat(toc.tarSplitDigest()).contains(Digest.parse(SHA));
    assertThat(toc.entries()).extracting(Toc.Entry::name).containsExactly("etc/", "etc/big", "etc/empty", "etc/link");
    Toc.Entry big = toc.entries().get(1);
    assertThat(big.hasData()).isTrue();
    assertThat(big.size()).isEqualTo(300);
    assertThat(big.offset()).isEqualTo(10);
    assertThat(big.endOffset()).isEqualTo(90);
    assertThat(toc.entries().get(2).hasData()).as("an empty file has no frames").isFalse();
  }

  @Test
  void tablesThatDoNotHoldAreRefused() {
    assertThatThrownBy(() -> parse("[]")).isInstanceOf(IOException.class).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> parse("{\"version\":1,\"entries\":[{\"type\":\"reg\"}]}"))
        .isInstanceOf(IOException.class).hasMessageContaining("without a name");
    assertThatThrownBy(() -> parse("{\"version\":1,\"entries\":[{\"type\":\"reg\",\"name\":\"a\",\"digest\":\"sha512:"
        + "c".repeat(128) + "\"}]}")).isInstanceOf(IOException.class).hasMessageContaining("is not SHA-256");
    assertThatThrownBy(() -> parse("{\"version\":1,\"entries\":[{\"type\":\"reg\",\"name\":\"a\",\"offset\":90,"
        + "\"endOffset\":10}]}")).isInstanceOf(IOException.class).hasMessageContaining("frames 90-10");
    assertThatThrownBy(() -> parse("{\"version\":1,\"entries\":[{\"type\":\"reg\",\"name\":\"a\",\"digest\":\"x\"}]}"))
        .isInstanceOf(IOException.class);
  }
}
