package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code containers update --download-only} (issue 32): pulls the current version of a container's image (or of the
 * image {@code --rebase} names) into the store, in part where its layers allow, and deploys nothing, so that the
 * later {@code containers update} only switches: its window holds no download. With every container, a failure is
 * said and the next one tried.
 */
public final class UpdatePrefetch {
  /** One container's image, as now stored. */
  public record Row(String container, String image, String imageId) {}

  private final LifecycleContext ctx;

  public UpdatePrefetch(LifecycleContext context) {
    this.ctx = context;
  }

  /**
   * Downloads the image of {@code container}, or of every container when empty.
   *
   * @throws LifecycleException when the one container named is not installed or its image cannot be pulled
   */
  public List<Row> download(Optional<String> container, Optional<String> rebase, SourceOptions source,
      Platform platform) throws LifecycleException {
    List<ContainerRecord> all = new Containers(ctx.layout(), ctx.edge()).list();
    List<ContainerRecord> chosen = new ArrayList<>();
    for (ContainerRecord r : all) {
      if (container.isEmpty() || r.name().equals(container.get())) {
        chosen.add(r);
      }
    }
    if (container.isPresent() && chosen.isEmpty()) {
      throw new LifecycleException("Container " + container.get() + " not found; `containers list` shows those"
          + " installed");
    }
    ImageUpdater images = new ImageUpdater(ctx.layout(), ctx.out(), ctx.clock());
    List<Row> rows = new ArrayList<>();
    for (ContainerRecord r : chosen) {
      String image = rebase.orElse(r.image());
      if (!ImageUpdater.fullyQualified(image)) {
        String why = "Image " + image + " of container " + r.name() + " names no registry to download from";
        if (container.isPresent()) {
          throw new LifecycleException(why + "; pull the new version by its full name and pass it to --rebase");
        }
        ctx.out().notice(Notice.warning(why + ": skipping"));
        continue;
      }
      try {
        StoredImage stored = images.update(image, source, platform);
        rows.add(new Row(r.name(), image, stored.imageId()));
      } catch (LifecycleException e) {
        if (container.isPresent()) {
          throw e;
        }
        ctx.out().notice(Notice.warning("Downloading " + image + " for " + r.name() + " failed: " + e.getMessage()));
      }
    }
    return rows;
  }
}
