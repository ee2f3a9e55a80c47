package io.github.syscontainers.api;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.ContainerExec;
import io.github.syscontainers.lifecycle.ContainerNames;
import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.RunOnce;
import io.github.syscontainers.lifecycle.host.CommandRunner;
import io.github.syscontainers.lifecycle.host.InteractiveRunner.Stdio;
import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.unitgen.TemplateValues;
import io.github.syscontainers.unitgen.UnitGenException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code syscontainers run TARGET [COMMAND…]}, atomic's {@code run --storage ostree}: an installed container's service
 * started ({@code run NAME}), a command run in it ({@code run NAME COMMAND…}: {@code runc exec} when its service runs,
 * a fresh runtime container on its rootfs when not), or an image run once ({@code run IMAGE [COMMAND…]}: checked out,
 * its config.json and tmpfiles made from its templates, run, removed). A target with a registry or a colon is an image,
 * as in atomic; so is a name stored in the repository.
 */
public final class RunCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private final List<String> command = new ArrayList<>();
  private final List<String> set = new ArrayList<>();
  private String target;
  private String runtime;
  private boolean detach;
  private boolean capture;

  RunCommand(Session session) {
    this.session = session;
  }

  /** The container or image (required). */
  public RunCommand setTarget(String target) {
    this.target = target;
    return this;
  }

  /** The command and its arguments (default: the container's own process, or starting its service). */
  public RunCommand setCommand(List<String> command) {
    this.command.clear();
    this.command.addAll(command);
    return this;
  }

  /** {@code --set NAME=VALUE} for an image run once. */
  public RunCommand setValue(String name, String value) {
    set.add(name + "=" + value);
    return this;
  }

  /** {@code --set NAME=VALUE}, as the flag takes it (a malformed one is refused by the call, with atomic's words). */
  public RunCommand setValue(String nameEqualsValue) {
    set.add(nameEqualsValue);
    return this;
  }

  /** {@code --runtime PATH} for an image run once (default: {@code RUNC_PATH}, or runc). */
  public RunCommand setRuntime(String runtime) {
    this.runtime = runtime;
    return this;
  }

  /** {@code --detach}: the command runs in the background of a running container. */
  public RunCommand setDetach(boolean detach) {
    this.detach = detach;
    return this;
  }

  /**
   * Captures the command's stdout and stderr into the result, its stdin empty, no terminal (default: this process's
   * own streams, as the CLI's {@code run}). An installed container given no command then runs its own process once
   * (instead of its service being started): what a test checks its output with.
   */
  public RunCommand setCaptureOutput(boolean capture) {
    this.capture = capture;
    return this;
  }

  /** Where an image run once comes from, when it must be pulled. */
  public RunCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  public RunCommand setProgress(Progress progress) {
    source.progress = java.util.Objects.requireNonNull(progress, "progress");
    return this;
  }

  public Ran call() throws SystemContainersException {
    Session.required(target, "run", "container or image");
    Stdio stdio = capture ? Stdio.CAPTURE : Stdio.INHERIT;
    try {
      // a name that cannot be a container's is never looked up on disk
      if (ContainerNames.isValid(target) && new Deployments(session.layout().checkoutDir()).isInstalled(target)) {
        ContainerExec exec = new ContainerExec(session.layout(), Edge.real(session.layout()), session.notices());
        if (command.isEmpty() && !capture) {
          exec.start(target);
          return new Ran(0, "", "");
        }
        return ran(exec.exec(target, command, detach, stdio));
      }
      if (!looksLikeImage(target) && session.catalog().storedName(target).isEmpty()) {
        throw new LifecycleException(
            "The container '" + target + "' doesn't exist; to run an image once, give its full name (REGISTRY/NAME:TAG"
                + " or a transport such as oci-archive:FILE)");
      }
      return ran(new RunOnce(session.context()).runImage(target, source.options(session), source.sources.platform(),
          TemplateValues.parseSet(set), command, Optional.ofNullable(runtime), stdio));
    } catch (UnitGenException e) {
      throw new SystemContainersException("run", target, e.getMessage(), 1, e);
    } catch (LifecycleException e) {
      throw Session.failure("run", target, e);
    }
  }

  private static Ran ran(CommandRunner.Result r) {
    return new Ran(r.exitCode(), r.stdout(), r.stderr());
  }

  /** atomic's test: a registry in the name, or a colon anywhere. */
  private static boolean looksLikeImage(String s) {
    int slash = s.indexOf('/');
    return s.contains(":") || (slash > 0 && ImageReference.isRegistryHost(s.substring(0, slash)));
  }
}
