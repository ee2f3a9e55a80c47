package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.ImageCatalog;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/** {@code syscontainers images list [--all]}: the images of the store. */
public final class ListImagesCommand {
  private final Session session;
  private boolean all;

  ListImagesCommand(Session session) {
    this.session = session;
  }

  /** {@code --all}: the layer and config refs too, as {@code <none>}. */
  public ListImagesCommand setAll(boolean all) {
    this.all = all;
    return this;
  }

  /** The images, in the store's order (by name); empty when nothing was ever pulled. */
  public List<ImageSummary> call() throws SystemContainersException {
    try {
      // no registries.conf needed to list: a broken one does not hide the store
      return new ImageCatalog(session.layout(), Edge.real(session.layout()), Clock.systemUTC()).list(all).stream().map(ListImagesCommand::summary).toList();
    } catch (LifecycleException e) {
      throw Session.failure("images list", null, e);
    }
  }

  private static ImageSummary summary(ImageCatalog.Row r) {
    return new ImageSummary(r.repo(), r.tag(), r.id(), r.created(),
        r.virtualSize().map(OptionalLong::of).orElse(OptionalLong.empty()), r.used(), r.complete());
  }
}
