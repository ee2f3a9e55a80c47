package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.model.ImagePath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one-stat view of a content object agrees with the full one in every mode, and reads the same payload. */
class ContentStatTest {
  @TempDir Path tmp;

  static final List<String> PATHS = List.of("bin/tool", "etc/conf", "etc/empty", "etc/link", "etc/capable");

  @ParameterizedTest
  @EnumSource(RepoMode.class)
  void agreesWithTheFullMetadataInEveryMode(RepoMode mode) throws Exception {
    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), mode);
    byte[] tar =
        LayerBuilder.layer()
            .file("bin/tool", "#!/bin/sh\n".getBytes(), 04755, 0, 0)
            .file("etc/conf", "key=value\n", 0640)
            .file("etc/empty", "", 0600)
            .symlink("etc/link", "conf")
            .fileWithXattrs("etc/capable", "x", 0755, Map.of("user.test", "1"))
            .tar();
    ImportedLayer layer =
        new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(new ByteArrayInputStream(tar), Optional.empty(), "t");
    for (String path : PATHS) {
      ObjectId id = Trees.lookupFile(repo, layer.root().tree(), ImagePath.of(path)).orElseThrow();
      ContentObject full = repo.loadContent(id);
      ContentStat stat = repo.statContent(id);
      assertThat(stat.id()).isEqualTo(id);
      assertThat(stat.mode()).as("%s in %s", path, mode).isEqualTo(full.meta().mode());
      assertThat(stat.isSymlink()).as(path).isEqualTo(full.isSymlink());
      assertThat(stat.size()).as(path).isEqualTo(full.size());
      assertThat(stat.path()).isEqualTo(full.path());
      if (!stat.isSymlink()) {
        try (InputStream a = repo.openPayload(stat);
            InputStream b = repo.openPayload(full)) {
          assertThat(a.readAllBytes()).as(path).isEqualTo(b.readAllBytes());
        }
      }
    }
    ObjectId tool = Trees.lookupFile(repo, layer.root().tree(), ImagePath.of("bin/tool")).orElseThrow();
    // setuid kept, except in bare-user-only, which drops it as ostree does
    assertThat(repo.statContent(tool).permissions()).isEqualTo(mode == RepoMode.BARE_USER_ONLY ? 0755 : 04755);
    assertThat(Trees.readFile(repo, layer.root().tree(), ImagePath.of("etc/conf"), 100)).hasValueSatisfying(
        b -> assertThat(new String(b)).isEqualTo("key=value\n"));
    assertThat(Trees.readFile(repo, layer.root().tree(), ImagePath.of("etc/link"), 100)).isEmpty();
    assertThatThrownBy(() -> Trees.readFile(repo, layer.root().tree(), ImagePath.of("etc/conf"), 3))
        .hasMessageContaining("is 10 bytes, more than the 3");
  }

  @ParameterizedTest
  @EnumSource(value = RepoMode.class, names = {"BARE", "BARE_USER", "BARE_USER_ONLY"})
  void aMissingObjectIsReportedAsTheFullReadReportsIt(RepoMode mode) throws Exception {
    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), mode);
    byte[] tar = LayerBuilder.layer().file("etc/conf", "gone\n", 0644).tar();
    ImportedLayer layer =
        new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(new ByteArrayInputStream(tar), Optional.empty(), "t");
    ObjectId id = Trees.lookupFile(repo, layer.root().tree(), ImagePath.of("etc/conf")).orElseThrow();
    Files.delete(repo.objectPath(id, ObjectType.FILE));
    String expected = "Object missing: " + id + ".file in " + repo.path() + "; pull the image again to restore it";
    assertThatThrownBy(() -> repo.statContent(id)).isInstanceOf(ObjectStoreException.class).hasMessage(expected);
    assertThatThrownBy(() -> repo.loadContent(id)).isInstanceOf(ObjectStoreException.class).hasMessage(expected);
  }
}
