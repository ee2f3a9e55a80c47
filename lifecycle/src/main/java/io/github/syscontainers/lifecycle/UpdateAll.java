package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.UpdateStatus;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code containers update --all} (§3.5.2, §8.4): every installed container is updated in controlled mode (rolled
 * back if its service does not come back), one failure not stopping the others; then a summary compares each
 * container's image id before and after with the latest id of its image in the store. Nothing is pulled: run
 * {@code images update --all} first, as with atomic.
 */
public final class UpdateAll {
  /** A summary row; {@code latest} is {@code <NOT FOUND>} when the image is no longer in the store. */
  public record Row(String container, String before, String after, String latest, UpdateStatus status) {}

  private final Layout layout;
  private final Edge edge;
  private final NoticeListener out;
  private final Clock clock;
  private final Updater updater;

  public UpdateAll(LifecycleContext context, Updater updater) {
    this.layout = context.layout();
    this.edge = context.edge();
    this.out = context.out();
    this.clock = context.clock();
    this.updater = updater;
  }

  public List<Row> updateAll(SourceOptions source, Platform platform) throws LifecycleException {
    List<Row> rows = new ArrayList<>();
    Containers containers = new Containers(layout, edge);
    for (ContainerRecord c : containers.list()) {
      out.notice(Notice.info("Checking container " + c.name() + "..."));
      boolean failed = false;
      try {
        updater.update(c.name(), List.of(), Optional.empty(), Optional.empty(), source, platform, true);
      } catch (LifecycleException | RuntimeException e) {
        failed = true;
        out.notice(Notice.warning("Updating " + c.name() + " failed: " + e.getMessage()));
      }
      String after = containers.list().stream().filter(x -> x.name().equals(c.name())).findFirst()
          .map(ContainerRecord::imageId).orElse(c.imageId());
      Optional<String> latest = latest(c.image());
      UpdateStatus status;
      if (failed) {
        status = UpdateStatus.FAILED;
      } else if (latest.isEmpty()) {
        status = UpdateStatus.UNKNOWN;
      } else if (after.equals(latest.get())) {
        status = after.equals(c.imageId()) ? UpdateStatus.UPDATED : UpdateStatus.UPDATED_NOW;
      } else {
        status = UpdateStatus.NOT_UPDATED;
      }
      rows.add(new Row(c.name(), c.imageId(), after, latest.orElse("<NOT FOUND>"), status));
    }
    return rows;
  }

  private Optional<String> latest(String image) throws LifecycleException {
    try {
      ImageStore store = Stores.open(layout, clock);
      return store.findImage(image).map(StoredImage::imageId);
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }
}
