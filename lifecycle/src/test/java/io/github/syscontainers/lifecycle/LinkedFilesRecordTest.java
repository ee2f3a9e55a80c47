package io.github.syscontainers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.objectstore.ObjectId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkedFilesRecordTest {
  private static final ObjectId A = new ObjectId("a".repeat(64));
  private static final ObjectId B = new ObjectId("b".repeat(64));

  @Test
  void pathsWithSpacesBackslashesAndNewlinesSurviveTheRoundTrip(@TempDir Path dir) throws Exception {
    Map<String, ObjectId> files = new LinkedHashMap<>();
    files.put("/usr/bin/sh", A);
    files.put("/odd dir/a\\b\nc", B);
    LinkedFilesRecord.write(dir, files);

    assertThat(Files.readAllLines(dir.resolve("linked-files"))).hasSize(2);
    assertThat(LinkedFilesRecord.read(dir)).contains(files);
  }

  @Test
  void aDeploymentWithoutARecordHasNone(@TempDir Path dir) throws Exception {
    assertThat(LinkedFilesRecord.read(dir)).isEmpty();
  }

  @Test
  void aMalformedLineIsRefusedWithWhatToDo(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("linked-files"), A.hex() + " /ok\nnot-a-checksum /x\n");

    assertThatThrownBy(() -> LinkedFilesRecord.read(dir))
        .isInstanceOf(LifecycleException.class)
        .hasMessageContaining("Line 2 of")
        .hasMessageContaining("delete the file");
  }

  @Test
  void aPathLeadingOutOfTheRootfsIsRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("linked-files"), A.hex() + " /usr/../../etc/passwd\n");

    assertThatThrownBy(() -> LinkedFilesRecord.read(dir))
        .isInstanceOf(LifecycleException.class)
        .hasMessageContaining("/usr/../../etc/passwd")
        .hasMessageContaining("not a plain path under the rootfs");
  }
}
