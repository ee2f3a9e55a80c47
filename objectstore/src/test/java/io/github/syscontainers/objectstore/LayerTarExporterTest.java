package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.Exec;
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

  @Test
  void anImportedLayerIsRebuiltByteForByte() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("tree/etc/dir"));
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
    Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256Of(blob), blob.length);
    // without the setting (the default) no record is kept, and the exporter says what to do
    OstreeRepository plain = OstreeRepository.openOrCreate(tmp.resolve("plain"), RepoMode.BARE_USER);
    new ImageStore(plain, Clock.systemUTC())
        .importLayer(d, new ByteArrayInputStream(blob), Optional.of(Digest.sha256Of(original)), ImportLimits.DEFAULT);
    assertThat(new LayerTarExporter(plain).hasRecord(d.digest())).isFalse();
    assertThatThrownBy(() -> new LayerTarExporter(plain).write(d.digest(), new ByteArrayOutputStream()))
        .isInstanceOf(ObjectStoreException.class).hasMessageContaining("set keep-tar-split=true");

    OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    Files.writeString(tmp.resolve("repo/config"), "[syscontainers]\nkeep-tar-split=true\n",
        java.nio.file.StandardOpenOption.APPEND);
    OstreeRepository repo = OstreeRepository.open(tmp.resolve("repo"));
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
}
