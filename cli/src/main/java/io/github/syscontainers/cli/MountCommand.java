package io.github.syscontainers.cli;

import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers mount IMAGE|NAME DIR}: an image's or a container's tree, copied into DIR for inspection. */
@Command(name = "mount", description = "Put an image's (or a container's) tree in an empty directory, for inspection.")
final class MountCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = {"-o", "--options"},
      paramLabel = "OPTS",
      description = "Comma-separated mount options; accepted, and ignored for OSTree images and containers, as atomic"
          + " ignored them.")
  String options;

  @Option(names = "--live", description = "Refused: OSTree images and containers cannot be mounted live (atomic's).")
  boolean live;

  @Option(names = "--shared", description = "Accepted for atomic compatibility (an SELinux label); no effect.")
  boolean shared;

  @Parameters(index = "0", paramLabel = "IMAGE|NAME")
  String what;

  @Parameters(index = "1", paramLabel = "DIR")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws LifecycleException, SystemContainersException {
    // atomic's mutually exclusive group: --live, --shared, --storage
    String[][] pairs = {{"--shared", "--live"}, {"--storage", "--live"}, {"--storage", "--shared"}};
    boolean[] given = {shared && live, common.storage != null && live, common.storage != null && shared};
    for (int i = 0; i < pairs.length; i++) {
      if (given[i]) {
        throw new ParameterException(
            spec.commandLine(), "argument " + pairs[i][0] + ": not allowed with argument " + pairs[i][1]);
      }
    }
    if (common.storage != null && !common.storage.equals("ostree") && !common.storage.equals("docker")) {
      throw new LifecycleException(common.storage + " is not a valid storage");
    }
    if (live) {
      throw new LifecycleException("Containers and images managed through OSTree do not support --live.");
    }
    Facade.open(common, spec).mount().setSource(what).setDirectory(dir).call();
    return 0;
  }

  /** {@code syscontainers umount DIR} (also {@code unmount}). */
  @Command(name = "umount", aliases = "unmount", description = "Empty a directory that mount filled.")
  static final class Umount implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "DIR")
    Path dir;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws LifecycleException, SystemContainersException {
      Facade.open(common, spec).mount().setDirectory(dir).unmount();
      return 0;
    }
  }
}
