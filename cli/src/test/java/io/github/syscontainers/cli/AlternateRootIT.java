package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 11: a container installed with {@code --root R}, reached again through the same checkout directory
 * without {@code --root} (by {@code ATOMIC_OSTREE_CHECKOUT_PATH}), is refused by every verb that would write its unit,
 * tmpfiles conf or state on the host running the command; given {@code --root R}, the same verbs work.
 */
class AlternateRootIT {
  @TempDir Path tmp;

  @Test
  void verbsRefuseAContainerOfAnotherRoot() throws Exception {
    Peers.requireRoot();
    Path archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    Path root = tmp.resolve("root");
    String name = "altroot-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = Map.of("ATOMIC_OSTREE_CHECKOUT_PATH", root.resolve("var/lib/containers/atomic").toString());
    Exec.Result install = Launcher.run(env, "install", "--system", "--root", root.toString(), "--name", name,
        "oci-archive:" + archive);
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(root.resolve("var/lib/containers/atomic/" + name + ".0/info")).content()
        .contains("\"root\": \"" + root + "\"");

    for (String[] verb : new String[][] {
      {"containers", "update", "--set", "GREETING=x", name},
      {"containers", "rollback", name},
      {"uninstall", name},
      {"stop", name},
      {"run", name, "/bin/true"},
    }) {
      Exec.Result r = Launcher.run(env, verb);
      assertThat(r.exitCode()).as(String.join(" ", verb) + "\n" + r.output()).isEqualTo(1);
      assertThat(Launcher.lines(r.stderr())).as(String.join(" ", verb)).singleElement().asString()
          .contains("was installed into the root " + root + ", but this command works on /")
          .contains("run it with --root " + root);
    }
    assertThat(Path.of("/etc/systemd/system/" + name + ".service")).doesNotExist();
    assertThat(Path.of("/etc/tmpfiles.d/" + name + ".conf")).doesNotExist();
    assertThat(Path.of("/var/lib/" + name)).doesNotExist();
    assertThat(root.resolve("var/lib/containers/atomic/" + name)).exists();

    Exec.Result update = Launcher.run(env, "containers", "update", "--root", root.toString(), "--set", "GREETING=x", name);
    assertThat(update.exitCode()).as(update.output()).isZero();
    assertThat(root.resolve("var/lib/containers/atomic/" + name + ".1/config.json")).content().contains("GREETING=x");
    Exec.Result uninstall = Launcher.run(env, "uninstall", "--root", root.toString(), name);
    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    assertThat(Files.exists(root.resolve("etc/systemd/system/" + name + ".service"))).isFalse();
  }
}
