package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.Layout;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Verifier;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers verify NAME}: name the rootfs files of a container whose shared object changed. */
@Command(name = "verify", description = "Check a container's hard-linked rootfs files against the repository.")
final class VerifyCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin SourceOptionsMixin sourceOptions;

  @Option(names = "--repair", description = "Fetch the image again and re-link the changed files.")
  boolean repair;

  @Option(names = "--source", paramLabel = "IMAGE", description = "Where to fetch the image again (default: its name).")
  String source;

  @Parameters(paramLabel = "NAME")
  String name;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws LifecycleException {
    Environment env = common.environment();
    Layout layout = common.layout(env);
    Verifier verifier = new Verifier(layout, CommonOptions.edge(layout), Clock.systemUTC());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (repair) {
      List<Verifier.Modified> restored =
          verifier.repair(name, Optional.ofNullable(source), sourceOptions.sourceOptions(common), sourceOptions.platform());
      restored.forEach(m -> out.println("Restored " + m.path()));
      out.println("Container " + name + ": all files match the repository");
      return 0;
    }
    List<Verifier.Modified> modified = verifier.verify(name);
    if (modified.isEmpty()) {
      out.println("Container " + name + ": all files match the repository");
      return 0;
    }
    for (Verifier.Modified m : modified) {
      err.println("Modified: " + m.path() + " (object " + m.object() + ": " + m.detail() + ")");
    }
    err.println(
        modified.size() + " file(s) of " + name + " changed in place, and with them the shared objects; run"
            + " `syscontainers verify --repair " + name + "` to fetch the image again and restore them");
    err.flush();
    return 1;
  }
}
