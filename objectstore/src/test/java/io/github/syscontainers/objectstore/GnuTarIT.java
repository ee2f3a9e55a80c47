package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.model.ImagePath;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** Layers written by GNU tar (binary xattrs, non-ASCII and long names) import byte for byte. */
class GnuTarIT {
  @TempDir Path tmp;

  @Test
  void importsGnuTarWithBinaryXattrs() throws Exception {
    Path tar = Peers.require("tar");
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("deep/".repeat(30)));
    Path f = src.resolve("caf\u00e9-\u00fcml\u00e4ut.txt");
    Files.writeString(f, "data\n");
    byte[] value = {0x01, (byte) 0x80, (byte) 0xff, 0x00, 0x7f, (byte) 0xc3};
    Files.getFileAttributeView(f, UserDefinedFileAttributeView.class).write("bin", ByteBuffer.wrap(value));
    Files.writeString(src.resolve("deep/".repeat(30) + "leaf"), "leaf\n");
    Path layer = tmp.resolve("layer.tar");
    Exec.Result r =
        Exec.run(
            List.of(tar.toString(), "--xattrs", "--xattrs-include=*", "--format=posix", "-C", src.toString(), "-cf",
                layer.toString(), "."));
    assertThat(r.exitCode()).as(r.output()).isZero();

    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    ImportedLayer imported;
    try (InputStream in = Files.newInputStream(layer)) {
      imported = new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(in, Optional.empty(), "gnu");
    }
    ObjectId id =
        Trees.lookupFile(repo, imported.root().tree(), ImagePath.of("caf\u00e9-\u00fcml\u00e4ut.txt")).orElseThrow();
    assertThat(repo.loadContent(id).meta().xattrs())
        .filteredOn(x -> x.name().equals("user.bin"))
        .singleElement()
        .satisfies(x -> assertThat(x.value()).isEqualTo(value));
    assertThat(Trees.lookupFile(repo, imported.root().tree(), ImagePath.of("deep/".repeat(30) + "leaf"))).isPresent();
    assertThat(imported.diffId().toString())
        .isEqualTo(io.github.syscontainers.fixtures.LayerBuilder.sha256(Files.readAllBytes(layer)));
  }
}
