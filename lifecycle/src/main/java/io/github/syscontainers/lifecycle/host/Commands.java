package io.github.syscontainers.lifecycle.host;

import io.github.syscontainers.lifecycle.LifecycleException;
import java.io.IOException;
import java.util.List;

/** Runs an edge command that must succeed, turning its failure into a one-line {@link LifecycleException}. */
final class Commands {
  private Commands() {}

  static void check(CommandRunner runner, List<String> argv) throws LifecycleException {
    try {
      CommandRunner.Result r = runner.run(argv);
      if (r.exitCode() != 0) {
        throw new LifecycleException(
            String.join(" ", argv) + " failed (exit " + r.exitCode() + "): " + r.firstErrorLine(), null,
            r.exitCode());
      }
    } catch (IOException e) {
      throw new LifecycleException(
          "Cannot run " + argv.get(0) + ": " + e.getMessage() + "; is systemd installed?", e);
    }
  }
}
