package io.github.syscontainers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** skopeo's store references, {@code ostree:NAME[@/ABSOLUTE/REPO]}, with names that carry digests. */
class StoreNameTest {
  @Test
  void storeReferencesSplitAtTheRepositorysPathOnly() throws Exception {
    assertThat(StoreName.parse("ostree:hello")).isEqualTo(new StoreName("hello", Optional.empty()));
    assertThat(StoreName.parse("ostree:example.com/app:1@/ostree/repo"))
        .isEqualTo(new StoreName("example.com/app:1", Optional.of(Path.of("/ostree/repo"))));
    String digest = "example.com/app@sha256:" + "a".repeat(64);
    assertThat(StoreName.parse("ostree:" + digest)).isEqualTo(new StoreName(digest, Optional.empty()));
    assertThat(StoreName.parse("ostree:" + digest + "@/var/repo").repo()).contains(Path.of("/var/repo"));
    assertThatThrownBy(() -> StoreName.parse("ostree:")).isInstanceOf(SystemContainersException.class)
        .hasMessageContaining("ostree:NAME[@/REPOSITORY]");
  }
}
