package io.github.syscontainers.objectstore.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.fixtures.Exec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tar-split records made while the tar reader reads a layer rebuild it byte for byte (issue 31): archives GNU tar
 * wrote in its three formats with its default 10 KiB records, data the reader skipped, bytes after the end blocks.
 */
class TarSplitTest {
  @TempDir Path tmp;

  @Test
  void crc64IsGosIsoChecksum() {
    Crc64 c = new Crc64();
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    c.update(check, 0, check.length);
    assertThat(HexFormat.of().formatHex(c.digest())).isEqualTo("b90956c775a41001"); // CRC-64/GO-ISO
  }

  /** The record of {@code tar}, and the files' data as a store would keep them, read as an import reads. */
  record Split(byte[] record, Map<String, byte[]> files) {}

  /** {@code readData} false: the reader skips every entry's data, as it does for what an import does not need. */
  static Split split(byte[] tar, boolean readData) throws IOException {
    TarSplitWriter w = new TarSplitWriter();
    TarReader r = new TarReader(new ByteArrayInputStream(tar), w);
    for (TarEntry e = r.next(); e != null; e = r.next()) {
      if (readData) {
        r.data().readAllBytes();
      }
    }
    r.finish();
    Map<String, byte[]> files = new HashMap<>();
    TarReader plain = new TarReader(new ByteArrayInputStream(tar));
    for (TarEntry e = plain.next(); e != null; e = plain.next()) {
      files.put(e.name(), plain.data().readAllBytes());
    }
    return new Split(w.finish(), files);
  }

  static byte[] assemble(Split s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarSplitAssembler.assemble(new ByteArrayInputStream(s.record()),
        name -> new ByteArrayInputStream(s.files().get(new String(name, StandardCharsets.UTF_8))), out);
    return out.toByteArray();
  }

  Path tree() throws Exception {
    Path t = Files.createDirectories(tmp.resolve("tree/etc/dir"));
    Files.writeString(t.resolve("../file"), "hello\n");
    Files.write(tmp.resolve("tree/big"), new byte[70_000]);
    Path deep = Files.createDirectories(tmp.resolve("tree/usr/" + "long".repeat(30)));
    Files.writeString(deep.resolve("name".repeat(30)), "x");
    Files.createSymbolicLink(tmp.resolve("tree/etc/link"), Path.of("file"));
    Files.createLink(tmp.resolve("tree/etc/hard"), tmp.resolve("tree/etc/file"));
    Files.createFile(tmp.resolve("tree/etc/.wh.gone"));
    Files.createFile(tmp.resolve("tree/empty"));
    return tmp.resolve("tree");
  }

  @Test
  void gnuTarsOfEachFormatAreRebuiltByteForByte() throws Exception {
    Path tree = tree();
    for (String format : List.of("ustar", "pax", "gnu")) {
      Path tar = tmp.resolve(format + ".tar");
      // ustar cannot hold the long name: the other two write it as a PAX record and a GNU long name
      Exec.Result made = Exec.run(List.of("tar", "--format=" + format, "--sort=name", "-C", tree.toString(), "-cf",
          tar.toString(), format.equals("ustar") ? "--exclude=./usr" : "--exclude=./nothing", "."));
      assertThat(made.exitCode()).as(made.output()).isZero();
      byte[] original = Files.readAllBytes(tar);
      assertThat(original.length % 10240).as("GNU tar's 10 KiB records: padding after the end blocks").isZero();
      assertThat(assemble(split(original, true))).as(format).isEqualTo(original);
      assertThat(assemble(split(original, false))).as(format + ", data skipped by the reader").isEqualTo(original);
    }
  }

  @Test
  void bytesAfterTheEndBlocksAreKept() throws Exception {
    Path tar = tmp.resolve("t.tar");
    Exec.Result made = Exec.run(List.of("tar", "--format=pax", "-C", tree().toString(), "-cf", tar.toString(), "."));
    assertThat(made.exitCode()).as(made.output()).isZero();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(Files.readAllBytes(tar));
    b.writeBytes("trailing garbage".getBytes(StandardCharsets.US_ASCII));
    byte[] original = b.toByteArray();
    assertThat(assemble(split(original, true))).isEqualTo(original);
  }

  @Test
  void theRecordIsTarSplitsJsonLines() throws Exception {
    Path tar = tmp.resolve("t.tar");
    Exec.Result made = Exec.run(List.of("tar", "--format=ustar", "-C", tree().toString(), "-cf", tar.toString(),
        "./big", "./etc/file"));
    assertThat(made.exitCode()).as(made.output()).isZero();
    byte[] original = Files.readAllBytes(tar);
    Split s = split(original, true);
    List<String> lines = new String(new GZIPInputStream(new ByteArrayInputStream(s.record())).readAllBytes(),
        StandardCharsets.UTF_8).lines().toList();
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.get("type").asInt()).isEqualTo(2);
    assertThat(first.get("position").asInt()).isZero();
    assertThat(first.get("payload").binaryValue()).hasSize(512); // the first header block
    JsonNode file = json.readTree(lines.get(1));
    assertThat(file.get("type").asInt()).isEqualTo(1);
    assertThat(file.get("name").asText()).isEqualTo("./big");
    assertThat(file.get("size").asLong()).isEqualTo(70_000);
    Crc64 crc = new Crc64();
    crc.update(new byte[70_000], 0, 70_000);
    assertThat(file.get("payload").binaryValue()).isEqualTo(crc.digest());
    assertThat(file.get("position").asInt()).isEqualTo(1);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(json.readTree(lines.get(i)).get("position").asInt()).isEqualTo(i);
    }
  }

  @Test
  void aFileThatChangedIsRefused() throws Exception {
    Path tar = tmp.resolve("t.tar");
    Exec.Result made = Exec.run(List.of("tar", "--format=pax", "-C", tree().toString(), "-cf", tar.toString(), "."));
    assertThat(made.exitCode()).as(made.output()).isZero();
    Split s = split(Files.readAllBytes(tar), true);
    s.files().put("./etc/file", "HELLO\n".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> assemble(s)).isInstanceOf(TarFormatException.class)
        .hasMessage("the file './etc/file' differs from what the layer held (CRC-64)");
    s.files().put("./etc/file", "hello, longer\n".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> assemble(s)).isInstanceOf(TarFormatException.class)
        .hasMessageContaining("has more bytes than the 6 the layer held");
  }

  @Test
  void malformedRecordsAreRefused() {
    for (String bad : List.of("[1]", "{\"type\":3,\"position\":0}", "{\"type\":2,\"position\":5}",
        "{\"type\":1,\"size\":-1,\"position\":0}")) {
      assertThatThrownBy(() -> TarSplitAssembler.assemble(new ByteArrayInputStream(gzip(bad)),
          n -> InputStream.nullInputStream(), new ByteArrayOutputStream())).as(bad).isInstanceOf(TarFormatException.class);
    }
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(b)) {
      g.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }
}
