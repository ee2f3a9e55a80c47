package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.LifecycleContext;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.UpdateAll;
import io.github.syscontainers.lifecycle.Updater;
import java.util.List;

/**
 * {@code syscontainers containers update --all}: every container moved to the latest stored id of its image, each
 * controlled (rolled back if it fails to start), one failure not stopping the others. Nothing is pulled: run
 * {@link SystemContainers#updateImages()} first, as with atomic.
 */
public final class UpdateAllCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();

  UpdateAllCommand(Session session) {
    this.session = session;
  }

  public UpdateAllCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  public List<ContainerUpdate> call() throws SystemContainersException {
    try {
      LifecycleContext context = session.context();
      return new UpdateAll(context, new Updater(context)).updateAll(source.options(session), source.sources.platform())
          .stream()
          .map(r -> new ContainerUpdate(r.container(), r.before(), r.after(), r.latest(),
              r.status()))
          .toList();
    } catch (LifecycleException e) {
      throw Session.failure("containers update", "--all", e);
    }
  }
}
