package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ImageUpdater;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.time.Clock;
import java.util.List;

/**
 * {@code syscontainers images update --all}: every stored image whose name has a registry pulled again, one failure
 * not stopping the others. (One image: {@link SystemContainers#pull()}.)
 */
public final class UpdateImagesCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();

  UpdateImagesCommand(Session session) {
    this.session = session;
  }

  public UpdateImagesCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  public UpdateImagesCommand setProgress(Progress progress) {
    source.progress = java.util.Objects.requireNonNull(progress, "progress");
    return this;
  }

  public List<ImageUpdate> call() throws SystemContainersException {
    try {
      return new ImageUpdater(session.layout(), session.notices(), Clock.systemUTC())
          .updateAll(source.options(session), source.sources.platform()).stream()
          .map(r -> new ImageUpdate(r.image(), r.before(), r.after(), r.status().text()))
          .toList();
    } catch (LifecycleException e) {
      throw Session.failure("images update", null, e);
    }
  }
}
