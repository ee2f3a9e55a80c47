package io.github.syscontainers.lifecycle;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.unitgen.InfoFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 27, item 11: a verb works on a container only in the root it was installed into. */
class ContainerRootsTest {
  private static InfoFile info(Optional<String> root) {
    return new InfoFile("img:1", "abc", "def", 0, Map.of(), true, Map.of(), List.of(), Map.of(), "no",
        Optional.empty(), false, "/usr/bin/runc", root, Optional.empty(), Optional.empty());
  }

  private static Layout layout(String root) {
    Path r = Path.of(root);
    Path co = r.resolve("var/lib/containers/atomic");
    return new Layout(r, co, co.resolve(".storage/ostree"), r.resolve("etc/systemd/system"), r.resolve("etc/tmpfiles.d"),
        true);
  }

  @Test
  void theRecordedRootMustBeTheGivenOne() {
    assertThatCode(() -> ContainerRoots.check(info(Optional.of("/tmp/r")), "c", layout("/tmp/r/"))).doesNotThrowAnyException();
    assertThatCode(() -> ContainerRoots.check(info(Optional.empty()), "c", layout("/"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> ContainerRoots.check(info(Optional.of("/tmp/r")), "c", layout("/")))
        .hasMessage("The container c was installed into the root /tmp/r, but this command works on /; run it with"
            + " --root /tmp/r, so that its unit and files are written where it lives");
    assertThatThrownBy(() -> ContainerRoots.check(info(Optional.of("/")), "c", layout("/tmp/other")))
        .hasMessageContaining("installed into the root /, but this command works on /tmp/other; run it without --root");
    assertThatCode(() -> ContainerRoots.check(info(Optional.of(ContainerRoots.recorded(layout("/srv/x/../y")))), "c",
        layout("/srv/y"))).doesNotThrowAnyException();
  }
}
