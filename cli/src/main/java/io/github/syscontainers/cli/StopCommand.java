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

/** {@code syscontainers stop NAME}: atomic's {@code stop} (§3.8), {@code systemctl stop NAME} for a system container. */
@Command(name = "stop", description = "Stop a system container's service.")
final class StopCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--display", description = "Show the command that would run, and run nothing.")
  boolean display;

  @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container to stop.")
  String name;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Ignored for system containers, as in atomic.")
  List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws LifecycleException, SystemContainersException {
    Facade.open(common, spec).stop().setName(name).setDisplay(display).call();
    return 0;
  }
}
