package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImagePath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer import, including the hostile entries of registry-protocol.md §4.2 (E1–E11). */
class LayerImporterTest {
  @TempDir Path tmp;
  OstreeRepository repo;

  @BeforeEach
  void repo() throws Exception {
    repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
  }

  ImportedLayer importTar(byte[] tar) throws ObjectStoreException {
    return new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(new ByteArrayInputStream(tar), Optional.empty(), "test");
  }

  FileMeta metaOf(ImportedLayer l, String path) throws ObjectStoreException {
    ObjectId id = Trees.lookupFile(repo, l.root().tree(), ImagePath.of(path)).orElseThrow();
    return repo.loadContent(id).meta();
  }

  /** The caller's blob stream, which the importer reads to the end but must leave open. */
  static final class Blob extends ByteArrayInputStream {
    boolean closed;

    Blob(byte[] b) {
      super(b);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void theBlobStaysOpenWhetherTheImportSucceedsOrFails() throws Exception {
    LayerBuilder layer = LayerBuilder.layer().file("etc/a", "a\n", 0644);
    for (byte[] blob : new byte[][] {layer.tar(), layer.tarGz()}) {
      Blob ok = new Blob(blob);
      new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(ok, Optional.empty(), "test");
      assertThat(ok.closed).isFalse();
    }
    TarArchiveEntry e = new TarArchiveEntry("a/../../escape", true);
    e.setSize(1);
    e.setMode(0100644);
    Blob bad = new Blob(LayerBuilder.layer().raw(e, new byte[] {'x'}).tarGz());
    assertThatThrownBy(() -> new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(bad, Optional.empty(), "test"))
        .isInstanceOf(ObjectStoreException.class);
    assertThat(bad.closed).isFalse();
  }

  @Test
  void e1DotDotIsRefused() {
    TarArchiveEntry e = new TarArchiveEntry("a/../../ESCAPED-dotdot.txt", true);
    e.setSize(1);
    e.setMode(0100644);
    byte[] tar = LayerBuilder.layer().raw(e, new byte[] {'x'}).tar();
    assertThatThrownBy(() -> importTar(tar))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("a/../../ESCAPED-dotdot.txt")
        .hasMessageContaining("'..'");
  }

  @Test
  void e2AbsolutePathsStayInsideTheLayer() throws Exception {
    TarArchiveEntry e = new TarArchiveEntry("/tmp/victim/abs.txt", true);
    e.setSize(1);
    e.setMode(0100644);
    ImportedLayer l = importTar(LayerBuilder.layer().raw(e, new byte[] {'x'}).tar());
    assertThat(Trees.lookupFile(repo, l.root().tree(), ImagePath.of("/tmp/victim/abs.txt"))).isPresent();
  }

  @Test
  void e3e4SymlinksAreStoredVerbatimAndNotFollowed() throws Exception {
    ImportedLayer l =
        importTar(
            LayerBuilder.layer()
                .symlink("evil", "/tmp/victim")
                .symlink("rel", "../../../../tmp/victim")
                .tar());
    assertThat(repo.loadContent(Trees.lookupFile(repo, l.root().tree(), ImagePath.of("evil")).orElseThrow()).symlinkTarget())
        .isEqualTo("/tmp/victim");
    assertThat(repo.loadContent(Trees.lookupFile(repo, l.root().tree(), ImagePath.of("rel")).orElseThrow()).symlinkTarget())
        .isEqualTo("../../../../tmp/victim");
  }

  @Test
  void e5e6HardLinksOutsideTheLayerAreRefused() {
    for (String target : new String[] {"../../victim/secret.txt", "/tmp/victim/secret.txt", "not/yet/there"}) {
      byte[] tar = LayerBuilder.layer().hardlink("hl", target).tar();
      assertThatThrownBy(() -> importTar(tar)).as(target).isInstanceOf(ObjectStoreException.class).hasMessageContaining("hl");
    }
  }

  @Test
  void hardLinksWithinTheLayerShareTheObject() throws Exception {
    ImportedLayer l = importTar(LayerBuilder.layer().file("a", "same\n", 0755).hardlink("b", "a").tar());
    assertThat(Trees.lookupFile(repo, l.root().tree(), ImagePath.of("b")))
        .isEqualTo(Trees.lookupFile(repo, l.root().tree(), ImagePath.of("a")));
  }

  @Test
  void e7DeviceNodesAreRefusedAndFifosSkipped() throws Exception {
    assertThatThrownBy(() -> importTar(LayerBuilder.layer().charDevice("dev/evilmem", 1, 1).tar()))
        .hasMessageContaining("dev/evilmem")
        .hasMessageContaining("device node (1,1)");
    ImportedLayer l = importTar(LayerBuilder.layer().fifo("run/fifo").file("ok", "x", 0644).tar());
    assertThat(Trees.lookupFile(repo, l.root().tree(), ImagePath.of("run/fifo"))).isEmpty();
  }

  @Test
  void e8SetuidAndOwnersAndXattrsAreKept() throws Exception {
    ImportedLayer l =
        importTar(
            LayerBuilder.layer()
                .file("bin/suid", "s".getBytes(), 04755, 0, 0)
                .file("owned", "o".getBytes(), 0640, 1000, 100)
                .fileWithXattrs("cap", "c", 0755, java.util.Map.of("user.test", "v"))
                .tar());
    assertThat(metaOf(l, "bin/suid").mode()).isEqualTo(0104755);
    assertThat(metaOf(l, "owned")).extracting(FileMeta::uid, FileMeta::gid).containsExactly(1000, 100);
    assertThat(metaOf(l, "cap").xattrs()).extracting(Xattr::name).containsExactly("user.test");
  }

  @Test
  void e9OddWhiteoutsAreRefused() {
    for (String name : new String[] {".wh...", "sub/.wh..", ".wh.", "sub/.wh..wh.plnk"}) {
      byte[] tar = LayerBuilder.layer().file(name, new byte[0], 0644, 0, 0).tar();
      assertThatThrownBy(() -> importTar(tar)).as(name).hasMessageContaining("whiteout");
    }
  }

  @Test
  void e10RootEntryIsRecordedOnlyInTheLayerTree() throws Exception {
    ImportedLayer l = importTar(LayerBuilder.layer().dir("./", 0777).file("a", "x", 0644).tar());
    assertThat(repo.readDirMeta(l.root().meta()).permissions()).isEqualTo(0777);
  }

  @Test
  void e11DecompressionBombIsStopped() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      TarArchiveEntry e = new TarArchiveEntry("zeros");
      e.setSize(256L << 20);
      var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out);
      tar.putArchiveEntry(e);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        tar.write(zeros);
      }
      tar.closeArchiveEntry();
      tar.finish();
    }
    assertThat(gz.size()).isLessThan(1 << 20);
    ImportLimits limits = new ImportLimits(64L << 30, 1000, 100, 16L << 20);
    assertThatThrownBy(
            () ->
                new LayerImporter(repo, limits)
                    .importLayer(new ByteArrayInputStream(gz.toByteArray()), Optional.empty(), "bomb"))
        .hasMessageContaining("decompression bomb");
  }

  @Test
  void entryAndSizeCapsHold() {
    LayerBuilder many = LayerBuilder.layer();
    for (int i = 0; i < 20; i++) {
      many.file("f" + i, "x", 0644);
    }
    assertThatThrownBy(
            () ->
                new LayerImporter(repo, new ImportLimits(1 << 20, 10, 100, 1 << 20))
                    .importLayer(new ByteArrayInputStream(many.tar()), Optional.empty(), "many"))
        .hasMessageContaining("more than 10 entries");
    assertThatThrownBy(
            () ->
                new LayerImporter(repo, new ImportLimits(1000, 100, 100, 1 << 20))
                    .importLayer(new ByteArrayInputStream(many.tar()), Optional.empty(), "big"))
        .hasMessageContaining("more than 1000 bytes");
  }

  @Test
  void diffIdIsCheckedAndTruncatedLayersFail() throws Exception {
    byte[] tar = LayerBuilder.layer().file("a", "x".repeat(5000), 0644).tar();
    Digest wrong = Digest.sha256Of("other".getBytes());
    assertThatThrownBy(
            () ->
                new LayerImporter(repo, ImportLimits.DEFAULT)
                    .importLayer(new ByteArrayInputStream(LayerBuilder.gzip(tar)), Optional.of(wrong), "l"))
        .hasMessageContaining("DiffID is " + wrong);
    byte[] gz = LayerBuilder.gzip(tar);
    assertThatThrownBy(() -> importTar(Arrays.copyOf(gz, gz.length / 2)))
        .hasMessageContaining("truncated or corrupt");
    ImportedLayer ok =
        new LayerImporter(repo, ImportLimits.DEFAULT)
            .importLayer(
                new ByteArrayInputStream(gz), Optional.of(Digest.parse(LayerBuilder.sha256(tar))), "l");
    assertThat(ok.uncompressedSize()).isEqualTo(tar.length);
  }

  @Test
  void aFileReplacedByADirectoryWithinOneLayerKeepsTheLast() throws Exception {
    ImportedLayer l = importTar(LayerBuilder.layer().file("x", "f", 0644).dir("x", 0755).file("x/in", "i", 0644).tar());
    assertThat(Trees.lookupFile(repo, l.root().tree(), ImagePath.of("x/in"))).isPresent();
    ImportedLayer back = importTar(LayerBuilder.layer().dir("y", 0755).file("y/in", "i", 0644).file("y", "f", 0644).tar());
    assertThat(Trees.lookupFile(repo, back.root().tree(), ImagePath.of("y"))).isPresent();
  }
}
