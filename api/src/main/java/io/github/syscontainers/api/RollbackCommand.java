package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Rollback;

/** {@code syscontainers containers rollback NAME}: back to the other deployment, with its own unit and values. */
public final class RollbackCommand {
  private final Session session;
  private String name;

  RollbackCommand(Session session) {
    this.session = session;
  }

  /** The container (required). */
  public RollbackCommand setName(String name) {
    this.name = name;
    return this;
  }

  public RolledBack call() throws SystemContainersException {
    if (name == null) {
      throw new SystemContainersException("rollback", null, "No container to roll back: call setName first", 2, null);
    }
    try {
      new Rollback(session.layout(), Edge.real(session.layout()), session.notices()).rollback(name, true);
      return new RolledBack(session.installed("rollback", name));
    } catch (LifecycleException e) {
      throw Session.failure("rollback", name, e);
    }
  }
}
