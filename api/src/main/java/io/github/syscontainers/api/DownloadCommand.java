package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.UpdatePrefetch;
import java.util.List;
import java.util.Optional;

/**
 * {@code syscontainers containers update --download-only [NAME|--all] [--rebase IMAGE]}: the image an update would
 * switch to, downloaded into the store now (in part, where zstd:chunked layers allow); nothing is switched.
 */
public final class DownloadCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private String name;
  private String rebase;

  DownloadCommand(Session session) {
    this.session = session;
  }

  /** The container; none means every container ({@code --all}). */
  public DownloadCommand setName(String name) {
    this.name = name;
    return this;
  }

  /** {@code --rebase IMAGE}: download that image instead of the container's own. */
  public DownloadCommand setRebase(String image) {
    this.rebase = image;
    return this;
  }

  public DownloadCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  public DownloadCommand setProgress(Progress progress) {
    source.progress = java.util.Objects.requireNonNull(progress, "progress");
    return this;
  }

  public List<Downloaded> call() throws SystemContainersException {
    try {
      return new UpdatePrefetch(session.context())
          .download(Optional.ofNullable(name), Optional.ofNullable(rebase), source.options(session),
              source.sources.platform())
          .stream().map(r -> new Downloaded(r.container(), r.image(), r.imageId())).toList();
    } catch (LifecycleException e) {
      throw Session.failure("containers update", name, e);
    }
  }
}
