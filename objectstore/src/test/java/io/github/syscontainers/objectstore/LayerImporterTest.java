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

  /**
   * E11, as issue 27 (item 6) asks: sizes are bounded, not ratios. A real layer's 100 MiB file of zeros (the
   * lastlog of a high UID) imports with the defaults; a bomb's 10 GiB of zeros is stopped at once, whether its tar
   * header declares them (refused before a byte is written) or the stream is nothing but zeros (an empty archive,
   * then more than padding).
   */
  @Test
  void e11AHundredMibOfZerosImportsAndTenGibOfZerosIsStopped() throws Exception {
    ImportedLayer lastlog = importTar(LayerBuilder.gzip(
        LayerBuilder.layer().file("var/log/lastlog", new byte[100 << 20], 0644, 0, 0).tar()));
    assertThat(lastlog.uncompressedSize()).isGreaterThan(100L << 20);

    ZeroGzipStream declared = new ZeroGzipStream(tenGibHeader(), 10L << 30);
    assertThatThrownBy(() -> new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(declared, Optional.empty(), "bomb"))
        .hasMessageContaining("Refused layer bomb: its entry 'zeros' declares 10737418240 bytes")
        .hasMessageContaining("8 GiB per layer and 32 GiB per image")
        .hasMessageContaining("max-layer-size");
    assertThat(declared.compressedRead).isLessThan(1 << 20);

    ZeroGzipStream raw = new ZeroGzipStream(new byte[0], 10L << 30);
    assertThatThrownBy(() -> new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(raw, Optional.empty(), "zeros"))
        .hasMessageContaining("more than 1 MiB follow the end of its tar archive at byte 512");
    assertThat(raw.compressedRead).isLessThan(1 << 20);
  }

  @Test
  void layerImageAndEntryLimitsHold() {
    LayerBuilder many = LayerBuilder.layer();
    for (int i = 0; i < 20; i++) {
      many.file("f" + i, "x", 0644);
    }
    assertThatThrownBy(
            () ->
                new LayerImporter(repo, new ImportLimits(1 << 20, 1 << 20, 10))
                    .importLayer(new ByteArrayInputStream(many.tar()), Optional.empty(), "many"))
        .hasMessageContaining("more than 10 entries");
    // each entry under the limit, the layer over it: the count of bytes read stops it
    assertThatThrownBy(
            () ->
                new LayerImporter(repo, new ImportLimits(6000, 1 << 20, 100))
                    .importLayer(new ByteArrayInputStream(many.tar()), Optional.empty(), "big"))
        .hasMessageContaining("the layer expands to more than 6000 bytes, the limit per layer");
    // two layers of one image share its budget
    ImportBudget image = ImportBudget.of(new ImportLimits(1 << 20, 30_000, 100));
    byte[] tar = many.tar();
    assertThat(tar.length).isBetween(15_000, 30_000);
    assertThatThrownBy(
            () -> {
              new LayerImporter(repo, image).importLayer(new ByteArrayInputStream(tar), Optional.empty(), "one");
              new LayerImporter(repo, image).importLayer(new ByteArrayInputStream(tar), Optional.empty(), "two");
            })
        .hasMessageContaining("Refused layer two: ")
        .hasMessageContaining("the image expands to more than 30000 bytes, the limit per image");
  }

  @Test
  void sizesParseAsPeopleWriteThem() {
    assertThat(ByteSize.parse("8G")).isEqualTo(8L << 30);
    assertThat(ByteSize.parse("8GiB")).isEqualTo(8L << 30);
    assertThat(ByteSize.parse("512m")).isEqualTo(512L << 20);
    assertThat(ByteSize.parse("1T")).isEqualTo(1L << 40);
    assertThat(ByteSize.parse("1000")).isEqualTo(1000);
    assertThat(ByteSize.format(8L << 30)).isEqualTo("8 GiB");
    assertThat(ByteSize.format(15_000)).isEqualTo("15000 bytes");
    assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("Invalid size 'lots'");
    assertThatThrownBy(() -> ByteSize.parse("99999999999T")).hasMessageContaining("too large");
  }

  /** A tar header for a 10 GiB file named {@code zeros} (a POSIX size record: the octal field stops at 8 GiB). */
  private static byte[] tenGibHeader() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out);
    tar.setBigNumberMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.BIGNUMBER_POSIX);
    TarArchiveEntry e = new TarArchiveEntry("zeros");
    e.setSize(10L << 30);
    tar.putArchiveEntry(e);
    tar.flush();
    return out.toByteArray(); // the header records; the zeros follow from the stream
  }

  /**
   * {@code prefix}, then zeros up to {@code total} bytes, as a gzip stream of concatenated members (one member of 1
   * MiB of zeros repeated), made as it is read; counts the compressed bytes read.
   */
  static final class ZeroGzipStream extends java.io.InputStream {
    private static final byte[] MIB_OF_ZEROS = LayerBuilder.gzip(new byte[1 << 20]);
    private byte[] current;
    private long membersLeft;
    private int pos;
    long compressedRead;

    ZeroGzipStream(byte[] prefix, long total) {
      this.current = LayerBuilder.gzip(prefix);
      this.membersLeft = (total - prefix.length) >> 20;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos == current.length) {
        if (membersLeft == 0) {
          return -1;
        }
        membersLeft--;
        current = MIB_OF_ZEROS;
        pos = 0;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      compressedRead += n;
      return n;
    }
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
