package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.Layout;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Mounter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code syscontainers mount IMAGE|NAME DIR}: an image's or a container's tree, copied into DIR for inspection. */
@Command(name = "mount", description = "Put an image's (or a container's) tree in an empty directory, for inspection.")
final class MountCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "IMAGE|NAME")
  String what;

  @Parameters(index = "1", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() throws LifecycleException {
    Environment env = common.environment();
    Layout layout = common.layout(env);
    new Mounter(layout, CommonOptions.edge(layout), Clock.systemUTC(), common.registries()).mount(what, dir);
    return 0;
  }

  /** {@code syscontainers umount DIR} (also {@code unmount}). */
  @Command(name = "umount", aliases = "unmount", description = "Empty a directory that mount filled.")
  static final class Umount implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws LifecycleException {
      Environment env = common.environment();
      Layout layout = common.layout(env);
      new Mounter(layout, CommonOptions.edge(layout), Clock.systemUTC()).umount(dir);
      return 0;
    }
  }
}
