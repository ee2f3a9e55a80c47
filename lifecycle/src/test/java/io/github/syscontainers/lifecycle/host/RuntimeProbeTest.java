package io.github.syscontainers.lifecycle.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.unitgen.RuntimeFeatures;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** atomic's three probes of the runtime, read from a runtime that answers as told. */
class RuntimeProbeTest {
  /** Answers each argv from a table; a missing program cannot be started. Records what ran, from any thread. */
  static final class Answers implements CommandRunner {
    final Map<String, Result> byArgs;
    final boolean installed;
    final Set<String> ran = ConcurrentHashMap.newKeySet();

    Answers(boolean installed, Map<String, Result> byArgs) {
      this.installed = installed;
      this.byArgs = byArgs;
    }

    @Override
    public Result run(List<String> argv) throws IOException {
      String args = String.join(" ", argv.subList(1, argv.size()));
      ran.add(args);
      if (!installed) {
        throw new IOException("Cannot run program \"" + argv.get(0) + "\": No such file or directory");
      }
      return byArgs.getOrDefault(args, new Result(0, "", ""));
    }
  }

  static final Map<String, CommandRunner.Result> MODERN =
      Map.of(
          "--version", new CommandRunner.Result(0, "runc version 1.1.5\n", ""),
          "run --help", new CommandRunner.Result(0, "   --pid-file value  specify the file to write the pid to\n", ""),
          "--help", new CommandRunner.Result(0, "   --systemd-cgroup  enable systemd cgroup support\n", ""));

  @Test
  void readsBothFeaturesFromTheHelpTexts() throws Exception {
    Answers runc = new Answers(true, MODERN);
    assertThat(RuntimeProbe.probe(runc, "/usr/bin/runc", true))
        .isEqualTo(new RuntimeFeatures("/usr/bin/runc", true, true));
    assertThat(runc.ran).containsExactlyInAnyOrder("--version", "run --help", "--help");
  }

  @Test
  void theThreeRunAtOnce() throws Exception {
    // each answer waits until all three programs have been started: asked one after another, the first would wait
    // out the latch and the probe would see a runtime that cannot be started
    CountDownLatch started = new CountDownLatch(3);
    CommandRunner together =
        argv -> {
          started.countDown();
          try {
            if (!started.await(10, TimeUnit.SECONDS)) {
              throw new IOException("ran alone: " + argv);
            }
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          return MODERN.get(String.join(" ", argv.subList(1, argv.size())));
        };
    assertThat(RuntimeProbe.probe(together, "/usr/bin/runc", true))
        .isEqualTo(new RuntimeFeatures("/usr/bin/runc", true, true));
  }

  @Test
  void theHelpTextsDecideEvenForARuncThatSaysItIsModern() throws Exception {
    // a wrapper that hides --systemd-cgroup to make units use the cgroupfs driver (SystemdHostIT runs one):
    // its version alone must not answer for it
    Answers wrapper =
        new Answers(true, Map.of("--version", MODERN.get("--version"), "run --help", MODERN.get("run --help")));
    assertThat(RuntimeProbe.probe(wrapper, "/share/runc-cgroupfs", true))
        .isEqualTo(new RuntimeFeatures("/share/runc-cgroupfs", true, false));
  }

  @Test
  void anOldRuntimeLacksThem() throws Exception {
    Answers old = new Answers(true, Map.of("--version", new CommandRunner.Result(0, "runc 0.1\n", "")));
    assertThat(RuntimeProbe.probe(old, "/opt/old-runc", true))
        .isEqualTo(new RuntimeFeatures("/opt/old-runc", false, false));
  }

  @Test
  void aMissingOrBrokenRuntimeIsAtomicsErrorUnlessAnAlternateRoot() throws Exception {
    Answers missing = new Answers(false, Map.of());
    assertThatThrownBy(() -> RuntimeProbe.probe(missing, "/usr/bin/runc", true))
        .isInstanceOf(LifecycleException.class)
        .hasMessage("Cannot install the container: the runtime /usr/bin/runc is not installed");
    Answers broken = new Answers(true, Map.of("--version", new CommandRunner.Result(1, "", "boom")));
    assertThatThrownBy(() -> RuntimeProbe.probe(broken, "/usr/bin/runc", true))
        .hasMessage("Cannot install the container: the runtime /usr/bin/runc is not installed");
    assertThat(RuntimeProbe.probe(missing, "/usr/bin/runc", false))
        .isEqualTo(new RuntimeFeatures("/usr/bin/runc", true, true));
  }

  @Test
  void aHelpTextThatCannotBeReadFailsTheProbeWithItsCause() {
    // the two help texts run at once; a failure of either, on whichever thread, is reported as itself
    for (String failing : List.of("run --help", "--help")) {
      CommandRunner flaky =
          argv -> {
            String args = String.join(" ", argv.subList(1, argv.size()));
            if (args.equals(failing)) {
              throw new IOException("runc " + failing + " timed out after 30 s");
            }
            return MODERN.get(args);
          };
      assertThatThrownBy(() -> RuntimeProbe.probe(flaky, "/usr/bin/runc", true))
          .isInstanceOf(LifecycleException.class)
          .hasMessage("Tried to probe the runtime /usr/bin/runc but failed: runc " + failing + " timed out after 30 s")
          .hasCauseInstanceOf(IOException.class);
    }
  }
}
