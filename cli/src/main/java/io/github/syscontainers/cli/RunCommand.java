package io.github.syscontainers.cli;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.ContainerExec;
import io.github.syscontainers.lifecycle.ContainerNames;
import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.ImageCatalog;
import io.github.syscontainers.lifecycle.Layout;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.RunOnce;
import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.unitgen.TemplateValues;
import io.github.syscontainers.unitgen.UnitGenException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  public Integer call() throws LifecycleException {
    if (name != null) {
      throw new LifecycleException("--name is not supported by this backend");
    }
    Environment env = common.environment();
    Layout layout = common.layout(env);
    // a name that cannot be a container's is never looked up on disk
    if (ContainerNames.isValid(target) && new Deployments(layout.checkoutDir()).isInstalled(target)) {
      ContainerExec exec = new ContainerExec(layout, CommonOptions.edge(layout), CommonOptions.printer(spec));
      if (command.isEmpty()) {
        exec.start(target);
        return 0;
      }
      return exec.exec(target, command, detach);
    }
    if (!looksLikeImage(target)
        && new ImageCatalog(layout, CommonOptions.edge(layout), Clock.systemUTC(), common.registries())
            .storedName(target).isEmpty()) {
      throw new LifecycleException(
          "The container '" + target + "' doesn't exist; to run an image once, give its full name (REGISTRY/NAME:TAG"
              + " or a transport such as oci-archive:FILE)");
    }
    try {
      return new RunOnce(CommonOptions.context(env, layout, spec))
          .runImage(target, source.sourceOptions(common), source.platform(), TemplateValues.parseSet(set), command,
              Optional.ofNullable(runtime));
    } catch (UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** atomic's test: a registry in the name, or a colon anywhere. */
  private static boolean looksLikeImage(String s) {
    int slash = s.indexOf('/');
    return s.contains(":") || (slash > 0 && ImageReference.isRegistryHost(s.substring(0, slash)));
  }
}
