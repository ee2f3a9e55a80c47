package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ContainerExec;
import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;

/**
 * {@code syscontainers stop NAME}: the container's service stopped ({@code systemctl stop NAME}); where systemd does
 * not run (an alternate root), a message says it was skipped.
 */
public final class StopCommand {
  private final Session session;
  private String name;
  private boolean display;

  StopCommand(Session session) {
    this.session = session;
  }

  /** The container (required). */
  public StopCommand setName(String name) {
    this.name = name;
    return this;
  }

  /** {@code --display}: only say (as a message) what would run. */
  public StopCommand setDisplay(boolean display) {
    this.display = display;
    return this;
  }

  public void call() throws SystemContainersException {
    Session.required(name, "stop", "container");
    try {
      new ContainerExec(session.layout(), Edge.real(session.layout()), session.notices()).stop(name, display);
    } catch (LifecycleException e) {
      throw Session.failure("stop", name, e);
    }
  }
}
