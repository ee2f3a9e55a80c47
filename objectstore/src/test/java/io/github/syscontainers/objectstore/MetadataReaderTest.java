package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata objects are read whole, whatever their size, and a missing one is told apart from other failures. */
class MetadataReaderTest {
  @TempDir Path tmp;

  @Test
  void readsFilesOfEverySizeWhole() throws Exception {
    Random r = new Random(5);
    for (int size : new int[] {0, 1, 4096, 65535, 65536, 65537, 300_000}) {
      byte[] data = new byte[size];
      r.nextBytes(data);
      Path p = Files.write(tmp.resolve("m" + size), data);
      assertThat(MetadataReader.read(p)).as("%d bytes", size).isEqualTo(data);
      assertThat(MetadataReader.sha256(data)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }
  }

  @Test
  void aMissingFileIsNoSuchFile() throws Exception {
    Path missing = tmp.resolve("none.dirtree");
    assertThatThrownBy(() -> MetadataReader.read(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(missing.toString());
    Path dir = Files.createDirectory(tmp.resolve("dir.dirtree"));
    assertThatThrownBy(() -> MetadataReader.read(dir)).isNotInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aCorruptedDirtreeIsReportedWithWhatToDo() throws Exception {
    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    ObjectId id = repo.writeMetadata(ObjectType.DIR_TREE, OstreeCodec.encodeDirTree(DirTree.EMPTY)).id();
    Path p = repo.path().resolve("objects/" + id.hex().substring(0, 2) + "/" + id.hex().substring(2) + ".dirtree");
    p.toFile().setWritable(true);
    Files.write(p, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> repo.readDirTree(id))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("Corrupted dirtree object " + id)
        .hasMessageContaining("run `syscontainers fsck`");
    Files.delete(p);
    assertThatThrownBy(() -> repo.readDirTree(id))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("Object missing: " + id + ".dirtree");
  }
}
