package io.github.syscontainers.objectstore.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.LayerBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TarReaderTest {

  /** Builds a raw ustar header block with a correct checksum. */
  static byte[] header(byte[] name, char type, long size) {
    byte[] h = new byte[512];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    put(h, 100, String.format("%07o", 0644));
    put(h, 108, String.format("%07o", 0));
    put(h, 116, String.format("%07o", 0));
    put(h, 124, String.format("%011o", size));
    put(h, 136, String.format("%011o", 0));
    h[156] = (byte) type;
    put(h, 257, "ustar");
    h[263] = '0';
    h[264] = '0';
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    return h;
  }

  static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  static byte[] paxRecord(String key, byte[] value) {
    byte[] k = (" " + key + "=").getBytes(StandardCharsets.UTF_8);
    int len = k.length + value.length + 1;
    int digits = String.valueOf(len).length();
    if (String.valueOf(len + digits).length() != digits) {
      digits++;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(String.valueOf(len + digits).getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(k);
    out.writeBytes(value);
    out.write('\n');
    return out.toByteArray();
  }

  static void data(ByteArrayOutputStream out, byte[] d) {
    out.writeBytes(d);
    out.writeBytes(new byte[(512 - d.length % 512) % 512]);
  }

  static List<TarEntry> readAll(byte[] tar) throws Exception {
    TarReader r = new TarReader(new ByteArrayInputStream(tar));
    List<TarEntry> out = new ArrayList<>();
    TarEntry e;
    while ((e = r.next()) != null) {
      out.add(e);
    }
    return out;
  }

  @Test
  void binaryXattrValuesSurviveByteForByte() throws Exception {
    byte[] cap = {0x01, 0x00, 0x00, 0x02, (byte) 0x80, (byte) 0xff, 0x00, (byte) 0xc3};
    byte[] pax = paxRecord("SCHILY.xattr.security.capability", cap);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header("PaxHeaders/ping".getBytes(), 'x', pax.length));
    data(out, pax);
    out.writeBytes(header("bin/ping".getBytes(), '0', 3));
    data(out, "abc".getBytes());
    out.writeBytes(new byte[1024]);
    TarEntry e = readAll(out.toByteArray()).get(0);
    assertThat(e.name()).isEqualTo("bin/ping");
    assertThat(e.xattrs()).singleElement().satisfies(x -> {
      assertThat(x.name()).isEqualTo("security.capability");
      assertThat(x.value()).isEqualTo(cap);
    });
  }

  @Test
  void nonUtf8NamesAreRefused() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header(new byte[] {'a', (byte) 0xff, 'b'}, '0', 0));
    out.writeBytes(new byte[1024]);
    assertThatThrownBy(() -> readAll(out.toByteArray())).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void badChecksumsAndTruncationAreReported() {
    byte[] h = header("a".getBytes(), '0', 10);
    h[0] = 'b';
    assertThatThrownBy(() -> readAll(h)).hasMessageContaining("bad checksum");
    byte[] cut = Arrays.copyOf(header("a".getBytes(), '0', 10), 300);
    assertThatThrownBy(() -> readAll(cut)).hasMessageContaining("inside a header");
  }

  @Test
  void sparseAndUnknownTypesAreRefused() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header("s".getBytes(), 'S', 0));
    assertThatThrownBy(() -> readAll(out.toByteArray())).hasMessageContaining("tar type 'S'");
  }

  @Test
  void readsWhatCommonsCompressWrites() throws Exception {
    String longName = "d/".repeat(80) + "file";
    byte[] tar =
        LayerBuilder.layer()
            .dir("d", 0755)
            .file(longName, "x".repeat(700), 0640)
            .symlink("ln", "x".repeat(150))
            .hardlink("hl", longName)
            .file("big-uid", "u".getBytes(), 0600, 3_000_000, 42)
            .tar();
    List<TarEntry> entries = readAll(tar);
    assertThat(entries).extracting(TarEntry::name).containsExactly("d/", longName, "ln", "hl", "big-uid");
    assertThat(entries.get(1).size()).isEqualTo(700);
    assertThat(entries.get(1).mode()).isEqualTo(0640);
    assertThat(entries.get(2).linkName()).hasSize(150);
    assertThat(entries.get(3).type()).isEqualTo(TarEntry.Type.HARD_LINK);
    assertThat(entries.get(4).uid()).isEqualTo(3_000_000);
  }

  @Test
  void paxRecordsAreStrict() {
    assertThatThrownBy(() -> TarReader.parsePax("99 path=a\n".getBytes())).hasMessageContaining("overruns");
    assertThatThrownBy(() -> TarReader.parsePax("x path=a\n".getBytes())).hasMessageContaining("invalid length");
  }
}
