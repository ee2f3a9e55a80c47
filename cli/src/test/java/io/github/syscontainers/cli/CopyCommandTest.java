package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** skopeo's store references, {@code ostree:NAME[@/ABSOLUTE/REPO]}, with names that carry digests. */
class CopyCommandTest {
  @Test
  void storeReferencesSplitAtTheRepositorysPathOnly() throws Exception {
    assertThat(CopyCommand.storeRef("ostree:hello")).isEqualTo(new CopyCommand.StoreRef("hello", Optional.empty()));
    assertThat(CopyCommand.storeRef("ostree:example.com/app:1@/ostree/repo"))
        .isEqualTo(new CopyCommand.StoreRef("example.com/app:1", Optional.of(Path.of("/ostree/repo"))));
    String digest = "example.com/app@sha256:" + "a".repeat(64);
    assertThat(CopyCommand.storeRef("ostree:" + digest)).isEqualTo(new CopyCommand.StoreRef(digest, Optional.empty()));
    assertThat(CopyCommand.storeRef("ostree:" + digest + "@/var/repo").repo()).contains(Path.of("/var/repo"));
    assertThatThrownBy(() -> CopyCommand.storeRef("ostree:")).isInstanceOf(LifecycleException.class)
        .hasMessageContaining("ostree:NAME[@/REPOSITORY]");
  }
}
