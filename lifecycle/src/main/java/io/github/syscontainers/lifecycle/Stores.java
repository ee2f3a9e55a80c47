package io.github.syscontainers.lifecycle;

import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import java.time.Clock;

/** Opens the image store of a layout: the repository is created {@code bare} as root, {@code bare-user} otherwise. */
public final class Stores {
  private Stores() {}

  /** Opens the store, creating the repository when it does not exist yet. */
  public static ImageStore open(Layout layout, Clock clock) throws LifecycleException {
    try {
      RepoMode mode = layout.rootMode() ? RepoMode.BARE : RepoMode.BARE_USER;
      return new ImageStore(OstreeRepository.openOrCreate(layout.repo(), mode), clock);
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }
}
