package io.github.syscontainers.cli;

import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code syscontainers run} (atomic's {@code run --storage ostree}, §3.7, §8.9): {@code run CONTAINER} starts an
 * installed container's service; {@code run CONTAINER COMMAND…} runs a command in it; {@code run IMAGE
 * [COMMAND…]} runs an image once (a name with a registry or a colon is an image, as in atomic). The exit status
 * is the command's. A name stored in the repository ({@code hello} for {@code docker.io/library/hello:latest}) is an
 * image too.
 */
@Command(
    name = "run",
    description = "Start an installed container, run a command in it, or run an image once.")
final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin SourceOptionsMixin source;

  @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Not supported for system containers.")
  String name;

  @Option(names = "--runtime", paramLabel = "PATH", description = "OCI runtime for a run-once image.")
  String runtime;

  @Option(names = "--set", paramLabel = "NAME=VALUE", description = "A template variable of a run-once image.")
  List<String> set = new ArrayList<>();

  @Option(names = "--display", description = "Accepted for atomic compatibility; no effect on system containers.")
  boolean display;

  @Option(names = {"-d", "--detach"}, description = "Run the command in the background (running containers only).")
  boolean detach;

  @Parameters(index = "0", paramLabel = "CONTAINER|IMAGE")
  String target;

  @Parameters(index = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
  List<String> command = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws LifecycleException, SystemContainersException {
    if (name != null) {
      throw new LifecycleException("--name is not supported by this backend");
    }
    io.github.syscontainers.api.RunCommand run = Facade.open(common, spec).run().setTarget(target).setCommand(command).setDetach(detach)
        .setSources(source.sources(common)).setProgress(source.progress());
    set.forEach(run::setValue);
    if (runtime != null) {
      run.setRuntime(runtime);
    }
    return run.call().exitCode();
  }
}
