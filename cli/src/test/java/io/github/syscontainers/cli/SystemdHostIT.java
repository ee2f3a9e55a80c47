package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle on a real systemd host: ../shared/tools/systemd-host boots a throwaway Debian with systemd as PID 1
 * under runc (sharing the host's network, so a docker-registry on the host's loopback is reachable). Inside it:
 * pull, install, systemctl start, containers list shows it running, update while running (restarted on the new
 * deployment), rollback, stop, uninstall; every unit passes systemd-analyze verify there.
 */
class SystemdHostIT {
  static final Path STATE = Path.of("/var/tmp/syscontainers-systemd-host");

  @TempDir Path tmp;

  static Path tool() {
    Path p = Launcher.TOP.getParent().resolve("shared/tools/systemd-host");
    if (!Files.isExecutable(p)) {
      String reason = "../shared/tools/systemd-host is not here";
      if (Peers.underCi()) {
        Assertions.fail(reason);
      }
      Assumptions.abort(reason);
    }
    return p;
  }

  static Exec.Result inside(Path tool, String... cmd) throws Exception {
    List<String> argv = new ArrayList<>(List.of(tool.toString(), "exec", STATE.toString()));
    argv.addAll(List.of(cmd));
    return Exec.run(argv);
  }

  static Exec.Result cli(Path tool, String args) throws Exception {
    return inside(tool, "sh", "-c", "java -XX:+UseSerialGC -jar /src/cli/target/cli-0.1.0-SNAPSHOT.jar " + args);
  }

  @Test
  void lifecycleUnderRealSystemd() throws Exception {
    Peers.requireRoot();
    Peers.require("runc");
    Peers.require("debootstrap");
    Path tool = tool();
    Path share = Files.createDirectories(tmp.resolve("share"));
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      new RegistryPusher(registry.address()).push("samples/hello", "1", SampleImage.build(Launcher.TOP.resolve("examples/hello")));
      Exec.Result up =
          Exec.run(
              List.of(
                  tool.toString(), "up", STATE.toString(), "--bind", Launcher.TOP + ":/src:ro", "--bind",
                  "/etc/java-17-openjdk:/etc/java-17-openjdk:ro", "--bind", share + ":/share"));
      assertThat(up.exitCode()).as(up.output()).isZero();
      try {
        String image = registry.address() + "/samples/hello:1";
        Exec.Result pull = cli(tool, "pull --tls-verify=false docker://" + image);
        assertThat(pull.exitCode()).as(pull.output()).isZero();
        Exec.Result install = cli(tool, "install --system --name hello --set STAY=yes " + image);
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(install.stdout()).contains("systemctl daemon-reload", "systemctl enable hello");
        assertThat(install.stderr()).doesNotContain("systemd is not running");
        verifyUnit(tool);

        assertThat(inside(tool, "systemctl", "start", "hello").exitCode()).isZero();
        assertThat(waitActive(tool)).isEqualTo("active");
        assertThat(cli(tool, "containers list").stdout()).contains("hello").contains("running");
        assertThat(inside(tool, "runc", "list").stdout()).contains("/var/lib/containers/atomic/hello.0");

        Exec.Result update = cli(tool, "containers update --set GREETING=Bonjour hello");
        assertThat(update.exitCode()).as(update.output()).isZero();
        assertThat(update.stdout()).contains("systemctl stop hello", "systemctl start hello");
        assertThat(waitActive(tool)).isEqualTo("active");
        assertThat(inside(tool, "runc", "list").stdout()).contains("/var/lib/containers/atomic/hello.1");
        verifyUnit(tool);

        Exec.Result rollback = cli(tool, "containers rollback hello");
        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        assertThat(waitActive(tool)).isEqualTo("active");
        assertThat(inside(tool, "runc", "list").stdout()).contains("/var/lib/containers/atomic/hello.0");

        assertThat(inside(tool, "systemctl", "stop", "hello").exitCode()).isZero();
        assertThat(cli(tool, "containers list").stdout()).doesNotContain("hello");
        assertThat(cli(tool, "containers list -a").stdout()).contains("inactive");

        Exec.Result uninstall = cli(tool, "uninstall hello");
        assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
        assertThat(inside(tool, "test", "-e", "/etc/systemd/system/hello.service").exitCode()).isNotZero();
        assertThat(inside(tool, "test", "-e", "/var/lib/containers/atomic/hello.0").exitCode()).isNotZero();
        assertThat(inside(tool, "runc", "list").stdout()).doesNotContain("hello");
      } finally {
        Exec.run(List.of(tool.toString(), "down", STATE.toString()));
      }
    }
  }

  private static void verifyUnit(Path tool) throws Exception {
    Exec.Result v = inside(tool, "systemd-analyze", "verify", "/etc/systemd/system/hello.service");
    assertThat(v.exitCode()).as(v.output()).isZero();
  }

  private static String waitActive(Path tool) throws Exception {
    String state = "";
    for (int i = 0; i < 30; i++) {
      state = inside(tool, "systemctl", "is-active", "hello").stdout().strip();
      if (state.equals("active")) {
        return state;
      }
      Thread.sleep(500);
    }
    return state;
  }
}
