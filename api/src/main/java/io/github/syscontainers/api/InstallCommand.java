package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.InstallRequest;
import io.github.syscontainers.lifecycle.Installer;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.Platform;
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

  /** Installs; returns the new deployment. */
  public Installed call() throws SystemContainersException {
    if (image == null) {
      throw new SystemContainersException("install", name, "No image to install: call setImage first", 2, null);
    }
    try {
      InstallRequest req = new InstallRequest(image, Optional.ofNullable(name), set, Optional.ofNullable(runtime),
          source.options(session), source.sources.platform(), Optional.ofNullable(rootfs), false, Optional.empty());
      Installer.Result r = new Installer(session.context()).install(req);
      String installed = name != null ? name : io.github.syscontainers.lifecycle.ContainerNames.defaultName(image);
      if (r.outcome() == Installer.Outcome.ALREADY_PRESENT) {
        throw new SystemContainersException("install", installed, installed + " already present; uninstall it first,"
            + " or update it", 1, null);
      }
      if (r.outcome() == Installer.Outcome.RAN_ONCE) {
        throw new SystemContainersException("install", installed, "The image is labelled atomic.run=once: it ran"
            + " (exit status " + r.exitCode() + ") and was removed, so there is no container to return", r.exitCode(),
            null);
      }
      return session.installed("install", installed);
    } catch (LifecycleException e) {
      throw Session.failure("install", name != null ? name : image, e);
    }
  }
}
