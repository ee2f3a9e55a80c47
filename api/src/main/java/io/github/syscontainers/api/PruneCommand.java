package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Maintenance;
import io.github.syscontainers.objectstore.Pruner;
import java.time.Clock;

/** {@code syscontainers images prune}: unused layers, objects and stale deployments removed. */
public final class PruneCommand {
  private final Session session;

  PruneCommand(Session session) {
    this.session = session;
  }

  public Pruned call() throws SystemContainersException {
    try {
      Pruner.Result r = new Maintenance(session.layout(), Edge.real(session.layout()), session.notices(),
          Clock.systemUTC()).prune();
      return new Pruned(r.objectsDeleted(), r.bytesFreed(), r.failures());
    } catch (LifecycleException e) {
      throw Session.failure("images prune", null, e);
    }
  }
}
