package io.github.syscontainers.objectstore.chunked;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.tar.TarSplitAssembler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tar GNU tar wrote, written as zstd:chunked: the blob decompresses (by zstd-jni and by the zstd tool) to the same
 * tar; the annotations locate a table of contents whose checksum they give and a tar-split record whose digest the
 * table gives; each file's frames decompress alone to its content, whose digest the table gives; the record and the
 * files rebuild the tar byte for byte; the footer names the same places.
 */
class ZstdChunkedWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private byte[] gnuTar() throws Exception {
    Files.createDirectories(tmp.resolve("tree/etc/dir"));
    Path tree = tmp.resolve("tree/etc");
    Files.writeString(tree.resolve("file"), "hello\n");
    byte[] random = new byte[300_000];
    new Random(7).nextBytes(random);
    Files.write(tree.resolve("random"), random);
    Files.write(tree.resolve("zeros"), new byte[100_000]);
    Files.createFile(tree.resolve("empty"));
    Files.createSymbolicLink(tree.resolve("link"), Path.of("file"));
    Files.createLink(tree.resolve("hard"), tree.resolve("file"));
    Path tar = tmp.resolve("layer.tar");
    Exec.Result made = Exec.run(List.of("tar", "--format=pax", "--sort=name", "-C", tmp.resolve("tree").toString(),
        "-cf", tar.toString(), "."));
    assertThat(made.exitCode()).as(made.output()).isZero();
    return Files.readAllBytes(tar);
  }

  private static byte[] zstd(byte[] blob, long offset, long length) throws Exception {
    try (ZstdInputStream in = new ZstdInputStream(
        new ByteArrayInputStream(blob, (int) offset, (int) length))) {
      return in.readAllBytes();
    }
  }

  private static long[] position(String annotation) {
    return Arrays.stream(annotation.split(":")).mapToLong(Long::parseLong).toArray();
  }

  @Test
  void aTarBecomesAZstdChunkedBlobThatReadsBackEveryWay() throws Exception {
    byte[] tar = gnuTar();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ZstdChunkedWriter.Written layer = ZstdChunkedWriter.write(new ByteArrayInputStream(tar), out);
    byte[] blob = out.toByteArray();
    assertThat(layer.size()).isEqualTo(blob.length);
    assertThat(layer.digest()).isEqualTo(Digest.sha256Of(blob));

    // as a whole, a zstd stream of the tar: zstd-jni's and the zstd tool's
    assertThat(zstd(blob, 0, blob.length)).isEqualTo(tar);
    Path file = tmp.resolve("blob.zst");
    Files.write(file, blob);
    Exec.Result cli = Exec.run(List.of(Peers.require("zstd").toString(), "-d", "-c", "-q", file.toString(), "-o", tmp.resolve("out.tar")
        .toString()));
    assertThat(cli.exitCode()).as(cli.output()).isZero();
    assertThat(tmp.resolve("out.tar")).hasBinaryContent(tar);

    // the table of contents, where the annotations say, with the checksum they give
    long[] toc = position(layer.annotations().get(ZstdChunkedWriter.MANIFEST_POSITION));
    assertThat(toc).hasSize(4);
    assertThat(toc[3]).isEqualTo(1);
    byte[] tocCompressed = Arrays.copyOfRange(blob, (int) toc[0], (int) (toc[0] + toc[1]));
    assertThat(Digest.sha256Of(tocCompressed).toString())
        .isEqualTo(layer.annotations().get(ZstdChunkedWriter.MANIFEST_CHECKSUM));
    byte[] tocJson = zstd(blob, toc[0], toc[1]);
    assertThat(tocJson).hasSize((int) toc[2]);
    JsonNode parsed = JSON.readTree(tocJson);
    assertThat(parsed.get("version").asInt()).isEqualTo(1);
    // the skippable frame's header: magic, then the length
    ByteBuffer head = ByteBuffer.wrap(blob, (int) toc[0] - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(head.getInt()).isEqualTo(0x184D2A50);
    assertThat(head.getInt()).isEqualTo((int) toc[1]);

    // each file with data: its frames alone decompress to its content, with the digest the table gives
    Map<String, byte[]> files = new HashMap<>();
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode e : parsed.get("entries")) {
      byName.put(e.get("name").asText(), e);
      if (e.has("digest")) {
        byte[] content = zstd(blob, e.get("offset").asLong(), e.get("endOffset").asLong() - e.get("offset").asLong());
        assertThat(Digest.sha256Of(content).toString()).as(e.get("name").asText()).isEqualTo(e.get("digest").asText());
        assertThat((long) content.length).isEqualTo(e.get("size").asLong());
        files.put(e.get("name").asText(), content);
      }
    }
    assertThat(files.get("./etc/file")).isEqualTo("hello\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(files).containsKeys("./etc/random", "./etc/zeros").doesNotContainKey("./etc/empty");
    assertThat(byName.get("./etc/link").get("type").asText()).isEqualTo("symlink");
    assertThat(byName.get("./etc/link").get("linkName").asText()).isEqualTo("file");
    assertThat(byName.get("./etc/hard").get("type").asText()).isEqualTo("hardlink");
    assertThat(byName.get("./etc/hard").get("linkName").asText()).isEqualTo("./etc/file");
    assertThat(byName.get("./etc/dir/").get("type").asText()).isEqualTo("dir");
    assertThat(byName.get("./etc/empty").get("type").asText()).isEqualTo("reg");
    assertThat(byName.get("./etc/random").get("mode").asInt()).isEqualTo(0644);
    assertThat(byName.get("./etc/random").get("modtime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    // the tar-split record: its digest in the table, and with the files it rebuilds the tar byte for byte
    long[] split = position(layer.annotations().get(ZstdChunkedWriter.TARSPLIT_POSITION));
    byte[] splitCompressed = Arrays.copyOfRange(blob, (int) split[0], (int) (split[0] + split[1]));
    assertThat(parsed.get("tarSplitDigest").asText()).isEqualTo(Digest.sha256Of(splitCompressed).toString());
    assertThat(zstd(blob, split[0], split[1])).hasSize((int) split[2]);
    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    try (ZstdInputStream json = new ZstdInputStream(new ByteArrayInputStream(splitCompressed))) {
      TarSplitAssembler.assembleJson(json, name -> new ByteArrayInputStream(
          files.getOrDefault(new String(name, StandardCharsets.UTF_8), new byte[0])), rebuilt);
    }
    assertThat(rebuilt.toByteArray()).isEqualTo(tar);

    // the footer, the last 64 bytes in a skippable frame of its own, names the same places
    ByteBuffer footer = ByteBuffer.wrap(blob, blob.length - 64, 64).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new long[] {footer.getLong(), footer.getLong(), footer.getLong(), footer.getLong()}).isEqualTo(toc);
    assertThat(new long[] {footer.getLong(), footer.getLong(), footer.getLong()}).isEqualTo(split);
    byte[] magic = new byte[8];
    footer.get(magic);
    assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("GNUlInUx");
  }
}
