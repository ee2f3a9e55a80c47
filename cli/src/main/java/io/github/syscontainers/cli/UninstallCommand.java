package io.github.syscontainers.cli;

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

/** {@code syscontainers uninstall NAME}: remove a system container; its image stays in the store. */
@Command(name = "uninstall", description = "Uninstall a system container.")
final class UninstallCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Not supported: give the container's name.")
  String name;

  @Option(names = {"-f", "--force"}, description = "Accepted for atomic compatibility; no effect on system containers.")
  boolean force;

  @Option(names = "--display", description = "Accepted for atomic compatibility; no effect on system containers.")
  boolean display;

  @Parameters(index = "0", paramLabel = "NAME", description = "The container to uninstall.")
  String container;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Ignored for system containers, as in atomic.")
  List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (name != null) {
      throw new LifecycleException("System containers do not support --name. Please use atomic uninstall NAME");
    }
    Facade.open(common, spec).uninstall().setName(container).call();
    return 0;
  }
}
