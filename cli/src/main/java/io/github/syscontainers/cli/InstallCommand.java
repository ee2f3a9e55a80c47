package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers install --system IMAGE}: atomic's {@code install --system}. */
@Command(name = "install", description = "Install a system container from an image.")
final class InstallCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin SourceOptionsMixin source;
  @Mixin HealthOptions health;

  @ArgGroup(exclusive = true)
  Mode mode;

  static final class Mode {
    @Option(names = "--system", description = "Install as a system container (root).")
    boolean system;

    @Option(names = "--user", description = "Install as a user container (non-root).")
    boolean user;
  }

  @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Name of the container.")
  String name;

  @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Set a template variable.")
  List<String> set = new ArrayList<>();

  @Option(names = "--runtime", paramLabel = "PATH", description = "OCI runtime (default: runc).")
  String runtime;

  @Option(
      names = "--rootfs",
      paramLabel = "DIR",
      description = "Use this exploded rootfs (or the DIR/rootfs inside it) instead of a checkout.")
  String rootfs;

  @Option(
      names = "--system-package",
      paramLabel = "auto|build|no|yes",
      description = "RPM generation: only 'auto' and 'no' are supported.")
  String systemPackage = "auto";

  @Option(names = "--display", description = "Pull the image and show where it would be extracted; install nothing.")
  boolean display;

  @Parameters(index = "0", paramLabel = "IMAGE", 
      description = "The image: docker://REF, oci:DIR[:REF], oci-archive:FILE[:REF],"
          + " docker-archive:FILE[:NAME:TAG|:@N] or a name.")
  String image;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Ignored for system containers, as in atomic.")
  List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    checkSystemPackage();
    if (mode != null && common.storage != null && !common.storage.equals("ostree")) {
      throw new LifecycleException("The --system and --user options are only available for the 'ostree' storage.");
    }
    Environment env = common.environment();
    if (mode != null && mode.user && env.isRoot()) {
      throw new LifecycleException("--user does not work for privileged user");
    }
    if (mode != null && mode.system && !env.isRoot()) {
      throw new LifecycleException("Only root can use --system");
    }
    var install = Facade.open(common, spec).install().setImage(image).setSources(source.sources(common))
        .setProgress(source.progress()).setDisplay(display);
    if (name != null) {
      install.setName(name);
    }
    set.forEach(install::setValue);
    if (runtime != null) {
      install.setRuntime(runtime);
    }
    if (rootfs != null) {
      install.setRootfs(rootfs);
    }
    health.apply(install);
    return install.outcome().exitCode();
  }

  private void checkSystemPackage() throws LifecycleException {
    switch (systemPackage) {
      case "auto":
      case "no":
        return;
      case "yes":
      case "build":
        throw new LifecycleException(
            "--system-package=" + systemPackage + " is not supported yet: syscontainers does not generate RPMs. "
                + "Use --system-package=no");
      default:
        throw new LifecycleException(
            "Invalid --system-package mode.  Accepted values: 'auto', 'build', 'no', 'yes'");
    }
  }
}
