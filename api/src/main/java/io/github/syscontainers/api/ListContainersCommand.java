package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ContainerRecord;
import io.github.syscontainers.lifecycle.Containers;
import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code syscontainers containers list [-a]}: the installed containers and the state of their services. */
public final class ListContainersCommand {
  private final Session session;
  private boolean all;

  ListContainersCommand(Session session) {
    this.session = session;
  }

  /** {@code -a}: the stopped ones too. */
  public ListContainersCommand setAll(boolean all) {
    this.all = all;
    return this;
  }

  public List<ContainerSummary> call() throws SystemContainersException {
    try {
      return new Containers(session.layout(), Edge.real(session.layout())).list().stream()
          .map(ListContainersCommand::summary)
          .filter(c -> all || c.running())
          .toList();
    } catch (LifecycleException e) {
      throw Session.failure("containers list", null, e);
    }
  }

  static ContainerSummary summary(ContainerRecord c) {
    return new ContainerSummary(c.name(), c.image(), c.imageId(), Instant.ofEpochSecond(c.created()), c.command(),
        c.runtime(), c.state(), Optional.of(c.autoUpdate()).filter(s -> !s.isEmpty()));
  }
}
