package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.ImageReference;
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
 * {@code images update} (§3.6): pulls an image's name again, so that {@code containers update} can then move a
 * container to it; with {@code --all}, every stored image whose name has a registry, each failure recorded and the
 * next one tried, then a summary. A name without a registry (an image installed from an archive, say) is skipped:
 * there is nowhere to pull it from.
 */
public final class ImageUpdater {
  /** How one image's update ended, as atomic's summary words it. */
  public enum Status {
    COULD_NOT_PULL("Could not pull"),
    UPDATED_NOW("Updated now"),
    UPDATED("Updated");

    private final String text;

    Status(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** A summary row. */
  public record Row(String image, String before, String after, Status status) {}

  private final Layout layout;
  private final NoticeListener out;
  private final Clock clock;

  public ImageUpdater(Layout layout, NoticeListener out, Clock clock) {
    this.layout = layout;
    this.out = out;
    this.clock = clock;
  }

  /** Pulls {@code name} again; returns the image as now stored. */
  public StoredImage update(String name, SourceOptions source, Platform platform) throws LifecycleException {
    return new ImageResolver(Stores.open(layout, clock)).pull(name, source, platform);
  }

  /** Updates every image that has a registry in its name. */
  public List<Row> updateAll(SourceOptions source, Platform platform) throws LifecycleException {
    ImageStore store = Stores.open(layout, clock);
    List<StoredImage> images;
    try {
      images = store.listImages(false);
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    List<Row> rows = new ArrayList<>();
    for (StoredImage image : images) {
      String name = image.name();
      if (!fullyQualified(name)) {
        out.notice(Notice.warning("Image " + name + " not fully qualified: skipping"));
        continue;
      }
      out.notice(Notice.info("Checking image " + name + "..."));
      String before = image.imageId();
      Optional<String> after;
      try {
        after = Optional.of(update(name, source, platform).imageId());
      } catch (LifecycleException | RuntimeException e) {
        out.notice(Notice.warning("Pulling " + name + " failed: " + e.getMessage()));
        after = Optional.empty();
      }
      Status status =
          after.isEmpty() ? Status.COULD_NOT_PULL : after.get().equals(before) ? Status.UPDATED : Status.UPDATED_NOW;
      rows.add(new Row(name, before, after.orElse(before), status));
    }
    return rows;
  }

  /** Whether a stored name says where it came from: its first component is a registry host. */
  static boolean fullyQualified(String name) {
    int slash = name.indexOf('/');
    return slash > 0 && ImageReference.isRegistryHost(name.substring(0, slash));
  }
}
