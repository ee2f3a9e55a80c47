package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 12: the README's first command ends with the service answering. The demo installs the sample,
 * runs it with runc as its unit would, shows its greeting, stops it (its goodbye), and uninstalls; without runc it
 * says the one command that installs runc, and still uninstalls.
 */
class DemoIT {
  @TempDir Path tmp;

  @Test
  void theDemoEndsWithTheServiceAnsweringStoppedAndUninstalled() throws Exception {
    Peers.requireRoot();
    String runc = Peers.require("runc").toString();
    Path root = tmp.resolve("demo");
    Exec.Result demo = Exec.run(List.of(Launcher.TOP.resolve("examples/hello/demo").toString(), root.toString()),
        Launcher.TOP, cleanEnv(Map.of()));
    assertThat(demo.exitCode()).as(demo.output()).isZero();
    assertThat(demo.stdout())
        .contains("==> the service answers (running):\nHello from the syscontainers sample container hello: Hello, World")
        .contains("Goodbye from hello")
        .contains("Done: the service was installed into " + root + ", ran and answered, was stopped and uninstalled.");
    assertThat(root.resolve("var/lib/containers/atomic/hello")).doesNotExist();
    assertThat(root.resolve("var/lib/containers/atomic/hello.0")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/hello.service")).doesNotExist();
    assertThat(Exec.run(List.of(runc, "list")).stdout()).doesNotContain("hello-demo-");
  }

  @Test
  void withoutRuncItSaysHowToInstallItAndStillUninstalls() throws Exception {
    Path root = tmp.resolve("demo");
    Exec.Result demo = Exec.run(List.of(Launcher.TOP.resolve("examples/hello/demo").toString(), root.toString()),
        Launcher.TOP, cleanEnv(Map.of("RUNC_PATH", tmp.resolve("no-runc").toString())));
    assertThat(demo.exitCode()).as(demo.output()).isZero();
    assertThat(demo.stdout()).contains("runc is not installed, so the service is not started; install it with:"
        + "  apt-get install -y runc");
    assertThat(root.resolve("var/lib/containers/atomic/hello")).doesNotExist();
  }

  private static Map<String, String> cleanEnv(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    for (String v : List.of("ATOMIC_OSTREE_REPO", "ATOMIC_OSTREE_CHECKOUT_PATH", "ATOMIC_CONF", "RUNC_PATH")) {
      env.put(v, null);
    }
    env.putAll(extra);
    return env;
  }
}
