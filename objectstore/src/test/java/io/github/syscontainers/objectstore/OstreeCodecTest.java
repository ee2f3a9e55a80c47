package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.gvariant.Variant;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden checksums from ostree-format.md §2.6, all taken from objects the ostree binary wrote. */
class OstreeCodecTest {

  static String contentChecksum(FileMeta meta, String target, byte[] payload) {
    byte[] h = OstreeCodec.encodeFileHeader(meta, target);
    var sha = Digest.newSha256();
    sha.update(OstreeCodec.headerPrefix(h.length));
    sha.update(h);
    sha.update(payload);
    return HexFormat.of().formatHex(sha.digest());
  }

  @Test
  void rootDirmeta() {
    byte[] meta = OstreeCodec.encodeDirMeta(FileMeta.directory(0, 0, 0755));
    assertThat(HexFormat.of().formatHex(meta)).isEqualTo("00000000" + "00000000" + "000041ed");
    assertThat(Digest.sha256Of(meta).hex())
        .isEqualTo("446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488");
    assertThat(OstreeCodec.decodeDirMeta(meta)).isEqualTo(FileMeta.directory(0, 0, 0755));
  }

  @Test
  void regularFileChecksum() {
    FileMeta meta = new FileMeta(0, 0, 0100644, List.of());
    assertThat(OstreeCodec.encodeFileHeader(meta, ""))
        .isEqualTo(HexFormat.of().parseHex("0000000000000000000081a4000000000011"));
    assertThat(contentChecksum(meta, "", "hello\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("44f778e59f0a4748d6b0c90a47347212a231c4ad1e8f7ea5c5dffc7749153a6b");
    String owned = contentChecksum(new FileMeta(1000, 1000, 0100644, List.of()), "", "own\n".getBytes());
    assertThat(owned).startsWith("a04a25b8").endsWith("77a4");
  }

  @Test
  void symlinkChecksum() {
    FileMeta meta = new FileMeta(0, 0, 0120777, List.of());
    assertThat(contentChecksum(meta, "hello.txt", new byte[0]))
        .isEqualTo("f66efa496a72379413c44593de510dc344beb045294f1a543da87b2b6118db35");
  }

  @Test
  void xattrsAreSortedAndNulTerminated() {
    // listxattr returned zeta first; the stored order is sorted
    FileMeta meta =
        new FileMeta(
            0,
            0,
            0100644,
            List.of(new Xattr("user.zeta", "z1".getBytes()), new Xattr("user.alpha", "a1".getBytes())));
    assertThat(OstreeCodec.encodeFileHeader(meta, "")).hasSize(47);
    assertThat(contentChecksum(meta, "", "x".getBytes()))
        .isEqualTo("ba3b34774d4e1e01215661f2897bba2a513c5314260e2ee8da720e3eb183e954");
    assertThat(OstreeCodec.encodeDirMeta(meta)).hasSize(41);
    assertThat(OstreeCodec.decodeDirMeta(OstreeCodec.encodeDirMeta(meta)).xattrs()).isEqualTo(meta.xattrs());
  }

  @Test
  void commitLayoutMatchesExample8() {
    Map<String, Variant> md = new LinkedHashMap<>();
    md.put("version", Variant.ofString("1.0"));
    md.put("ostree.ref-binding", new Variant("as", List.of("test/main")));
    ObjectId tree = new ObjectId("481d265d" + "0".repeat(52) + "0a0b");
    ObjectId meta = new ObjectId("446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488");
    Commit c = new Commit(md, Optional.empty(), "Test subject", "Test body", 1704067200L, tree, meta);
    byte[] data = OstreeCodec.encodeCommit(c);
    assertThat(data).hasSize(158);
    byte[] head =
        HexFormat.of()
            .parseHex(
                "76657273696f6e00" + "312e30000073" + "08" + "00"
                    + "6f7374726565 2e7265662d62696e64696e6700".replace(" ", "")
                    + "0000000000" + "746573742f6d61696e000a" + "006173" + "13" + "0f37"
                    + "5465737420737562 6a65637400".replace(" ", "") + "5465737420626f647900"
                    + "0000000065920080");
    assertThat(Arrays.copyOf(data, head.length)).isEqualTo(head);
    assertThat(Arrays.copyOfRange(data, 152, 158)).isEqualTo(HexFormat.of().parseHex("785046393939"));
    assertThat(OstreeCodec.decodeCommit(data)).isEqualTo(c);
  }

  @Test
  void dirtreeOfOneFileMatchesExample5Shape() {
    ObjectId csum = new ObjectId("89b350d2" + "0".repeat(52) + "52c5".substring(0, 4));
    byte[] data = OstreeCodec.encodeDirTree(new DirTree(List.of(new DirTree.FileEntry("run.sh", csum)), List.of()));
    assertThat(data).hasSize(42);
    assertThat(Arrays.copyOfRange(data, 39, 42)).isEqualTo(new byte[] {0x07, 0x28, 0x29});
  }

  @Test
  void dirtreeEntriesSortByUtf8Bytes() {
    ObjectId id = new ObjectId("a".repeat(64));
    // U+FFFD sorts before U+1F600 in UTF-16 order but after it in byte order? both are 3 vs 4 bytes: EF.. < F0..
    DirTree t =
        new DirTree(
            List.of(new DirTree.FileEntry("\uD83D\uDE00", id), new DirTree.FileEntry("\uFFFD", id),
                new DirTree.FileEntry("B", id), new DirTree.FileEntry("a", id)),
            List.of());
    assertThat(t.files()).extracting(DirTree.FileEntry::name).containsExactly("B", "a", "\uFFFD", "\uD83D\uDE00");
    assertThat(OstreeCodec.decodeDirTree(OstreeCodec.encodeDirTree(t))).isEqualTo(t);
  }
}
