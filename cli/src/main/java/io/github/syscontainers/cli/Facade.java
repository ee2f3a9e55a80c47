package io.github.syscontainers.cli;

import io.github.syscontainers.api.SystemContainers;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The API's facade as a verb of the CLI opens it: on {@code --root} (or the host), printing what it says as the CLI
 * prints notices (information on stdout, warnings on stderr). The verbs that go through it are the ones the API
 * already covers; see docs/library.md for the rest.
 */
final class Facade {
  private Facade() {}

  static SystemContainers open(CommonOptions common, CommandSpec spec) throws LifecycleException,
      SystemContainersException {
    return open(common, spec, false);
  }

  /** With {@code allToStderr}, information goes to stderr too: stdout is kept for a result (JSON). */
  static SystemContainers open(CommonOptions common, CommandSpec spec, boolean allToStderr) throws LifecycleException,
      SystemContainersException {
    common.checkStorage();
    SystemContainers.Builder b = SystemContainers.builder().messages(m -> {
      var w = m.warning() || allToStderr ? spec.commandLine().getErr() : spec.commandLine().getOut();
      w.println(m.text());
      w.flush();
    });
    if (common.root != null) {
      b.root(common.root);
    }
    return b.build();
  }
}
