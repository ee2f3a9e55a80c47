package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.objectstore.tar.TarEntry;
import io.github.syscontainers.objectstore.tar.TarReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer stored without a tar-split record is exported as a tar of its stored files (issue 31): the same names,
 * types, owners, modes, contents, symlink targets, whiteouts and xattrs (a binary {@code security.capability} kept
 * byte for byte), the same bytes on every export; read by our tar reader and by GNU tar.
 */
class TreeTarWriterTest {
  @TempDir Path tmp;

  @Test
  void aStoredTreeIsWrittenAsATarOfTheSameFilesTheSameWayEachTime() throws Exception {
    byte[] capability = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    String longName = "usr/" + "long".repeat(30) + "/" + "name".repeat(30);
    byte[] tar = LayerBuilder.layer()
        .dir("etc", 0755)
        .file("etc/motd", "hi\n", 0640)
        .file("srv/owned", "data".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0600, 1000, 70000000)
        .fileWithRawXattr("usr/bin/ping", "elf", 0755, "security.capability", capability)
        .symlink("etc/link", "motd")
        .whiteout("var/gone")
        .file(longName, "x", 0644)
        .tar();
    Descriptor d = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256Of(tar), tar.length);
    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    new ImageStore(repo, Clock.systemUTC())
        .importLayer(d, new ByteArrayInputStream(tar), Optional.of(Digest.sha256Of(tar)), ImportLimits.DEFAULT);

    LayerTarExporter exporter = new LayerTarExporter(repo);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    exporter.writeFromTree(d.digest(), first);
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    exporter.writeFromTree(d.digest(), second);
    assertThat(second.toByteArray()).as("the same bytes each time").isEqualTo(first.toByteArray());

    Map<String, TarEntry> entries = new LinkedHashMap<>();
    Map<String, byte[]> contents = new LinkedHashMap<>();
    TarReader reader = new TarReader(new ByteArrayInputStream(first.toByteArray()));
    TarEntry e;
    while ((e = reader.next()) != null) {
      entries.put(e.name(), e);
      contents.put(e.name(), reader.data().readAllBytes());
    }
    assertThat(entries.keySet()).containsExactly("etc/", "etc/link", "etc/motd", "srv/", "srv/owned", "usr/",
        "usr/bin/", "usr/bin/ping", "usr/" + "long".repeat(30) + "/", longName, "var/", "var/.wh.gone");
    assertThat(entries.get("etc/motd").mode() & 07777).isEqualTo(0640);
    assertThat(new String(contents.get("etc/motd"), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hi\n");
    assertThat(entries.get("srv/owned").uid()).isEqualTo(1000);
    assertThat(entries.get("srv/owned").gid()).isEqualTo(70000000);
    assertThat(entries.get("etc/link").type()).isEqualTo(TarEntry.Type.SYMLINK);
    assertThat(entries.get("etc/link").linkName()).isEqualTo("motd");
    assertThat(entries.get("usr/bin/ping").xattrs()).singleElement().satisfies(x -> {
      assertThat(x.name()).isEqualTo("security.capability");
      assertThat(x.value()).isEqualTo(capability);
    });

    // GNU tar reads it too, with the long name and the whiteout
    Path out = tmp.resolve("tree.tar");
    Files.write(out, first.toByteArray());
    Exec.Result list = Exec.run(List.of("tar", "-tvf", out.toString()));
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.stdout()).contains(longName).contains("var/.wh.gone").contains("etc/link -> motd");
  }
}
