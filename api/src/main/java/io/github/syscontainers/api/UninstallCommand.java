package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Uninstaller;

/**
 * {@code syscontainers uninstall NAME}: the service disabled and stopped, its unit, tmpfiles conf, host files and
 * both deployments removed; the image stays in the store.
 */
public final class UninstallCommand {
  private final Session session;
  private String name;

  UninstallCommand(Session session) {
    this.session = session;
  }

  /** The container (required). */
  public UninstallCommand setName(String name) {
    this.name = name;
    return this;
  }

  /** Uninstalls; returns the name of the container that is gone. */
  public String call() throws SystemContainersException {
    if (name == null) {
      throw new SystemContainersException("uninstall", null, "No container to uninstall: call setName first", 2, null);
    }
    try {
      new Uninstaller(session.layout(), Edge.real(session.layout()), session.notices()).uninstall(name);
      return name;
    } catch (LifecycleException e) {
      throw Session.failure("uninstall", name, e);
    }
  }
}
