package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.InstallRequest;
import io.github.syscontainers.lifecycle.Installer;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.unitgen.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code syscontainers install --system IMAGE}: atomic's install: the image pulled if it is not stored, checked out
 * read-only, {@code config.json}, the unit and the tmpfiles conf generated from its {@code /exports} templates.
 */
public final class InstallCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private String image;
  private String name;
  private final List<String> set = new ArrayList<>();
  private String runtime;
  private String rootfs;
  private boolean display;
  /** Made at the call, so that a check with bad numbers is refused there, as a failure of the install. */
  private Optional<java.util.function.Supplier<HealthCheck>> healthCheck = Optional.empty();

  InstallCommand(Session session) {
    this.session = session;
  }

  /** The image: a transport and reference, or a stored name (required). */
  public InstallCommand setImage(String image) {
    this.image = image;
    return this;
  }

  /** {@code --name}: the container's name (default: atomic's, from the image's name). */
  public InstallCommand setName(String name) {
    this.name = name;
    return this;
  }

  /** {@code --set NAME=VALUE}: a template variable (or {@code io.containers.autoupdate}). */
  public InstallCommand setValue(String variable, String value) {
    set.add(variable + "=" + value);
    return this;
  }

  /** {@code --set NAME=VALUE}, as the flag takes it (a malformed one is refused by the call, with atomic's words). */
  public InstallCommand setValue(String nameEqualsValue) {
    set.add(nameEqualsValue);
    return this;
  }

  /** {@code --display}: only pull the image and say where it would be extracted (use {@link #outcome()}). */
  public InstallCommand setDisplay(boolean display) {
    this.display = display;
    return this;
  }

  /**
   * {@code --health-cmd} and its companions: what {@code auto-update} waits for after restarting the service on a new
   * image (it overrides the image's own {@code healthCheck}).
   *
   * @param command the program and its arguments ({@code /bin/sh}, {@code -c}, {@code LINE} for a shell line)
   * @param onHost run it on the host rather than in the container
   * @param timeout how long one run may take
   * @param retries how many runs in a row must pass
   * @param interval the pause between runs
   * @param startPeriod how long after the start a failed run is retried rather than counted
   */
  public InstallCommand setHealthCheck(List<String> command, boolean onHost, java.time.Duration timeout, int retries,
      java.time.Duration interval, java.time.Duration startPeriod) {
    List<String> argv = List.copyOf(command);
    this.healthCheck = Optional.of(() -> new HealthCheck(argv, onHost, timeout, retries, interval, startPeriod));
    return this;
  }

  /** {@code --runtime}: the OCI runtime (default: runc). */
  public InstallCommand setRuntime(String runtime) {
    this.runtime = runtime;
    return this;
  }

  /** {@code --rootfs}: use this exploded rootfs instead of a checkout. */
  public InstallCommand setRootfs(String rootfs) {
    this.rootfs = rootfs;
    return this;
  }

  /** {@code --tls-verify}. */
  public InstallCommand setTlsVerify(boolean verify) {
    source.sources = source.sources.withTlsVerify(verify);
    return this;
  }

  /** {@code --platform}. */
  public InstallCommand setPlatform(Platform platform) {
    source.sources = source.sources.withPlatform(platform);
    return this;
  }

  /** {@code --insecure-policy}. */
  public InstallCommand setInsecurePolicy(boolean insecure) {
    source.sources = source.sources.withInsecurePolicy(insecure);
    return this;
  }

  /** All the source flags at once (the individual setters change one of them). */
  public InstallCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** Where a pull's progress goes (default: nowhere). */
  public InstallCommand setProgress(Progress progress) {
    source.progress = java.util.Objects.requireNonNull(progress, "progress");
    return this;
  }

  /**
   * Installs; returns the new deployment. An install that makes none (the name is taken, {@code --display}, a
   * run-once image) fails here, saying which: {@link #outcome()} returns those as results.
   */
  public Installed call() throws SystemContainersException {
    InstallOutcome o = outcome();
    if (o.installed().isPresent()) {
      return o.installed().get();
    }
    String who = name != null ? name : image;
    switch (o.status()) {
      case ALREADY_PRESENT:
        throw new SystemContainersException("install", who, who + " already present; uninstall it first, or update"
            + " it", 1, null);
      case RAN_ONCE:
        throw new SystemContainersException("install", who, "The image is labelled atomic.run=once: it ran (exit status "
            + o.exitCode() + ") and was removed, so there is no container to return", o.exitCode(), null);
      default:
        throw new SystemContainersException("install", who, "setDisplay(true) installs nothing: use outcome()", 2,
            null);
    }
  }

  /** Installs, or says why nothing was installed: every way atomic's install ends. */
  public InstallOutcome outcome() throws SystemContainersException {
    if (image == null) {
      throw new SystemContainersException("install", name, "No image to install: call setImage first", 2, null);
    }
    try {
      InstallRequest req = new InstallRequest(image, Optional.ofNullable(name), set, Optional.ofNullable(runtime),
          source.options(session), source.sources.platform(), Optional.ofNullable(rootfs), display,
          healthCheck.map(java.util.function.Supplier::get));
      Installer.Result r = new Installer(session.context()).install(req);
      String installed = name != null ? name : io.github.syscontainers.lifecycle.ContainerNames.defaultName(image);
      switch (r.outcome()) {
        case INSTALLED:
          return new InstallOutcome(InstallOutcome.Status.INSTALLED,
              Optional.of(session.installed("install", installed)), 0);
        case ALREADY_PRESENT:
          return new InstallOutcome(InstallOutcome.Status.ALREADY_PRESENT, Optional.empty(), r.exitCode());
        case DISPLAYED:
          return new InstallOutcome(InstallOutcome.Status.DISPLAYED, Optional.empty(), r.exitCode());
        case RAN_ONCE:
        default:
          return new InstallOutcome(InstallOutcome.Status.RAN_ONCE, Optional.empty(), r.exitCode());
      }
    } catch (LifecycleException e) {
      throw Session.failure("install", name != null ? name : image, e);
    } catch (IllegalArgumentException e) {
      throw new SystemContainersException("install", name, "The health check given is not usable: " + e.getMessage(),
          2, e);
    }
  }

}
