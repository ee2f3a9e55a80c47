package io.github.syscontainers.lifecycle;

import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.Pruner;
import io.github.syscontainers.objectstore.RepositoryChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code images prune} and {@code fsck}: keep the store and the checkout directory clean and verified. */
public final class Maintenance {
  private final Layout layout;
  private final Edge edge;
  private final NoticeListener out;
  private final Clock clock;

  public Maintenance(Layout layout, Edge edge, NoticeListener out, Clock clock) {
    this.layout = layout;
    this.edge = edge;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Prunes as atomic did: deployments whose container is gone, refs of layers and configs no image needs (printing
   * {@code Deleting ociimage/…}), then objects no ref reaches. Deployments are only removed under their
   * container's lock, so a concurrent install is never cut short.
   */
  public Pruner.Result prune() throws LifecycleException {
    removeStaleDeployments();
    Optional<ImageStore> store = new ImageCatalog(layout, edge, clock).existingStore();
    if (store.isEmpty()) {
      return Pruner.Result.none();
    }
    try {
      for (String ref : store.get().pruneRefs()) {
        out.notice(Notice.info("Deleting " + ref));
      }
      return new Pruner(store.get().repository()).pruneUnreachable();
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  private void removeStaleDeployments() throws LifecycleException {
    Path dir = layout.checkoutDir();
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || !(name.endsWith(".0") || name.endsWith(".1"))) {
          continue;
        }
        String container = name.substring(0, name.length() - 2);
        if (container.isEmpty() || Files.exists(dir.resolve(container), LinkOption.NOFOLLOW_LINKS)
            || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (ContainerLock lock = ContainerLock.acquire(dir, container)) {
          if (!Files.exists(dir.resolve(container), LinkOption.NOFOLLOW_LINKS)) {
            DeploymentWriter.remove(p);
          }
        } catch (LifecycleException e) {
          out.notice(Notice.warning("Could not remove directory " + p));
        }
      }
    } catch (IOException e) {
      throw new LifecycleException("Tried to list " + dir + " but failed: " + e.getMessage(), e);
    }
  }

  /** Checks every object the store's refs reach; with {@code repair}, removes what is corrupt. */
  public RepositoryChecker.Report fsck(boolean repair) throws LifecycleException {
    Optional<ImageStore> store = new ImageCatalog(layout, edge, clock).existingStore();
    if (store.isEmpty()) {
      throw new LifecycleException(
          "Cannot find a configured OSTree repo at " + layout.repo() + "; pull an image first");
    }
    try {
      RepositoryChecker checker = new RepositoryChecker(store.get().repository());
      return repair ? checker.repair() : checker.check();
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }
}
