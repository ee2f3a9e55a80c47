package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer imported into a store that keeps tar-split records is rebuilt byte for byte from its record and its stored
 * files (issue 31): the same bytes as the tar GNU tar wrote, so the same DiffID; a stored file that changed is
 * refused, by the exporter and by fsck; a store that keeps none says how to keep them.
 */
class LayerTarExporterTest {
  @TempDir Path tmp;

  /** A layer GNU tar wrote, and its gzip blob. */
  private record Layer(byte[] tar, byte[] blob, Descriptor descriptor) {}

  private Layer gnuTarLayer() throws Exception {
    Files.createDirectories(tmp.resolve("tree/etc/dir"));
    Files.writeString(tmp.resolve("tree/etc/file"), "hello\n");
    Files.write(tmp.resolve("tree/big"), new byte[300_000]);
    Files.createSymbolicLink(tmp.resolve("tree/etc/link"), Path.of("file"));
    Files.createLink(tmp.resolve("tree/etc/hard"), tmp.resolve("tree/etc/file"));
    Files.createFile(tmp.resolve("tree/etc/.wh.gone"));
    Path deep = Files.createDirectories(tmp.resolve("tree/usr/" + "long".repeat(30)));
    Files.writeString(deep.resolve("name".repeat(30)), "x");
    Path tar = tmp.resolve("layer.tar");
    Exec.Result made = Exec.run(List.of("tar", "--format=pax", "--sort=name", "-C", tmp.resolve("tree").toString(),
        "-cf", tar.toString(), "."));
    assertThat(made.exitCode()).as(made.output()).isZero();
    byte[] original = Files.readAllBytes(tar);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
      g.write(original);
    }
    byte[] blob = gz.toByteArray();
    return new Layer(original, blob, Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256Of(blob), blob.length));
  }

  /** A repository whose config has {@code lines} in its [syscontainers] group. */
  private OstreeRepository repo(String name, String lines) throws Exception {
    OstreeRepository.openOrCreate(tmp.resolve(name), RepoMode.BARE_USER);
    Files.writeString(tmp.resolve(name + "/config"), "[syscontainers]\n" + lines,
        java.nio.file.StandardOpenOption.APPEND);
    return OstreeRepository.open(tmp.resolve(name));
  }

  @Test
  void anImportedLayerIsRebuiltByteForByte() throws Exception {
    Layer layer = gnuTarLayer();
    byte[] original = layer.tar();
    byte[] blob = layer.blob();
    Descriptor d = layer.descriptor();
    // without the setting (the default) no record is kept, and the exporter says what to do
    OstreeRepository plain = OstreeRepository.openOrCreate(tmp.resolve("plain"), RepoMode.BARE_USER);
    new ImageStore(plain, Clock.systemUTC())
        .importLayer(d, new ByteArrayInputStream(blob), Optional.of(Digest.sha256Of(original)), ImportLimits.DEFAULT);
    assertThat(new LayerTarExporter(plain).hasRecord(d.digest())).isFalse();
    assertThatThrownBy(() -> new LayerTarExporter(plain).write(d.digest(), new ByteArrayOutputStream()))
        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("set keep-tar-split=true");

    OstreeRepository repo = repo("repo", "keep-tar-split=true\n");
    new ImageStore(repo, Clock.systemUTC())
        .importLayer(d, new ByteArrayInputStream(blob), Optional.of(Digest.sha256Of(original)), ImportLimits.DEFAULT);

    LayerTarExporter exporter = new LayerTarExporter(repo);
    assertThat(exporter.hasRecord(d.digest())).isTrue();
    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    exporter.write(d.digest(), rebuilt);
    assertThat(rebuilt.toByteArray()).isEqualTo(original);
    String record = repo.readCommit(repo.resolveRef(ImageStore.blobRef(d.digest())).orElseThrow()).stringMetadata(
        ImageStore.TAR_SPLIT).orElseThrow();
    assertThat(record.length()).as("the record is small next to the layer").isLessThan(original.length / 20);

    RepositoryChecker.Report clean = new RepositoryChecker(repo).check();
    assertThat(clean.problems()).isEmpty();

    // a stored file changed behind the store's back (a bare-user object is a plain file): refused, named
    Path object = repo.objectPath(
        Trees.lookupFile(repo, repo.readCommit(repo.resolveRef(ImageStore.blobRef(d.digest())).orElseThrow())
            .rootTree(), io.github.syscontainers.model.ImagePath.of("etc/file")).orElseThrow(), ObjectType.FILE);
    object.toFile().setWritable(true);
    Files.writeString(object, "HELLO\n");
    assertThatThrownBy(() -> exporter.write(d.digest(), new ByteArrayOutputStream()))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("the file './etc/file' differs from what the layer held (CRC-64)");
    // and fsck says so for the layer, besides the object's own checksum
    assertThat(new RepositoryChecker(repo).check().problems())
        .extracting(RepositoryChecker.Problem::detail)
        .anyMatch(detail -> detail.startsWith("its tar-split record does not rebuild its tar: ")
            && detail.contains("the file './etc/file' differs from what the layer held (CRC-64)"));
  }

  @Test
  void aRecordOverTheInlineLimitIsKeptInAFileOfItsOwn() throws Exception {
    Layer layer = gnuTarLayer();
    Descriptor d = layer.descriptor();
    OstreeRepository repo = repo("big", "keep-tar-split=true\ntar-split-inline-max=100\n");
    ImageStore store = new ImageStore(repo, Clock.systemUTC());
    store.importLayer(d, new ByteArrayInputStream(layer.blob()), Optional.of(Digest.sha256Of(layer.tar())),
        ImportLimits.DEFAULT);
    Commit commit = repo.readCommit(repo.resolveRef(ImageStore.blobRef(d.digest())).orElseThrow());
    Path file = store.tarSplitRecords().resolve(d.digest().hex());
    assertThat(commit.stringMetadata(ImageStore.TAR_SPLIT)).as("not in the commit").isEmpty();
    assertThat(commit.stringMetadata(ImageStore.TAR_SPLIT_OBJECT))
        .contains(Digest.sha256Of(Files.readAllBytes(file)).toString());
    assertThat(Files.size(file)).isGreaterThan(100);
    try (var left = Files.list(file.getParent())) {
      assertThat(left).as("no temporary file left").containsExactly(file);
    }

    LayerTarExporter exporter = new LayerTarExporter(repo);
    assertThat(exporter.hasRecord(d.digest())).isTrue();
    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    exporter.write(d.digest(), rebuilt);
    assertThat(rebuilt.toByteArray()).isEqualTo(layer.tar());
    assertThat(new RepositoryChecker(repo).check().problems()).isEmpty();
    // the file is ours, beside the objects: the real ostree finds the repository whole
    Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo.path()));
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();

    // a record file changed behind the store's back: refused at its end, and named by fsck
    byte[] good = Files.readAllBytes(file);
    // bytes after the gzip member: the record still reads as before, but it is not the file the commit names
    Files.write(file, new byte[8], java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> exporter.write(d.digest(), new ByteArrayOutputStream()))
        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("is not the one its layer commit names");
    assertThat(new RepositoryChecker(repo).check().problems()).extracting(RepositoryChecker.Problem::detail)
        .anyMatch(detail -> detail.contains("is not the one its layer commit names"));
    // a missing one: the export says what to do
    Files.delete(file);
    assertThatThrownBy(() -> exporter.write(d.digest(), new ByteArrayOutputStream()))
        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("which is missing; run fsck --repair");

    // pruning the layer's ref takes its record file along, and a writer's leftover
    Files.write(file, good);
    Path leftover = Files.writeString(file.resolveSibling("." + d.digest().hex() + ".tmp-999999999-1"), "x");
    assertThat(store.pruneRefs()).contains(ImageStore.blobRef(d.digest()));
    assertThat(file).doesNotExist();
    assertThat(leftover).doesNotExist();
  }

  @Test
  void aNonNumericInlineLimitIsNamed() throws Exception {
    Layer layer = gnuTarLayer();
    OstreeRepository repo = repo("bad", "keep-tar-split=true\ntar-split-inline-max=1M\n");
    assertThatThrownBy(() -> new ImageStore(repo, Clock.systemUTC()).importLayer(layer.descriptor(),
        new ByteArrayInputStream(layer.blob()), Optional.empty(), ImportLimits.DEFAULT))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessage("tar-split-inline-max in the [syscontainers] group of the repository's config is '1M', not a "
            + "number of bytes; set it to one, such as 1048576");
  }
}
