package io.github.syscontainers.lifecycle;

import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import io.github.syscontainers.objectstore.StoredImage;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The images of the store as {@code images list} shows them, and {@code images delete} and {@code images tag}. */
public final class ImageCatalog {
  private final Layout layout;
  private final Edge edge;
  private final Clock clock;

  public ImageCatalog(Layout layout, Edge edge, Clock clock) {
    this.layout = layout;
    this.edge = edge;
    this.clock = clock;
  }

  /**
   * One row of {@code images list}.
   *
   * @param used some installed container runs this image (atomic's {@code >} marker)
   */
  public record Row(String repo, String tag, String id, Instant created, Optional<Long> virtualSize, boolean used) {}

  /** Lists images; {@code all} adds the layer and config refs, as {@code <none>}. */
  public List<Row> list(boolean all) throws LifecycleException {
    Optional<ImageStore> store = existingStore();
    if (store.isEmpty()) {
      return List.of();
    }
    Set<String> used =
        new Containers(layout, edge).list().stream().map(ContainerRecord::imageId).collect(Collectors.toSet());
    try {
      List<Row> rows = new ArrayList<>();
      for (StoredImage img : store.get().listImages(all)) {
        String name = img.name();
        boolean untagged = io.github.syscontainers.objectstore.ObjectId.isValid(name);
        String repo = untagged ? "<none>" : name.substring(0, Math.max(0, name.lastIndexOf(':')));
        String tag = untagged ? "<none>" : name.substring(name.lastIndexOf(':') + 1);
        if (!untagged && name.lastIndexOf(':') <= name.lastIndexOf('/')) {
          repo = name;
          tag = "<none>";
        }
        String id = untagged ? name : img.imageId();
        rows.add(new Row(repo, tag, id, img.created(), store.get().virtualSize(img), used.contains(id)));
      }
      return rows;
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** Returns the labels and template variables of a stored image. */
  public ImageInfo.Report info(String name) throws LifecycleException {
    ImageStore store = existingStore().orElseThrow(() -> new LifecycleException("Image " + name + " not found"));
    try {
      StoredImage image =
          store.findImage(name)
              .or(() -> {
                try {
                  return store.findImage(name + ":latest");
                } catch (ObjectStoreException e) {
                  return Optional.empty();
                }
              })
              .orElseThrow(() -> new LifecycleException("Image " + name + " not found"));
      return ImageInfo.of(store, image);
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** Deletes image refs; layers stay until {@code images prune}. */
  public void delete(List<String> names) throws LifecycleException {
    ImageStore store = existingStore().orElseThrow(() -> new LifecycleException("Image " + names.get(0) + " not found"));
    try {
      for (String n : names) {
        if (!store.deleteImage(n) && !store.deleteImage(n + ":latest")) {
          throw new LifecycleException("Image " + n + " not found");
        }
      }
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** Gives an image a second name. */
  public void tag(String src, String dest) throws LifecycleException {
    ImageStore store = existingStore().orElseThrow(() -> new LifecycleException("Cannot find image " + src + "."));
    try {
      store.tag(src, dest);
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** Opens the store, or returns empty when no repository exists yet (nothing was ever pulled). */
  Optional<ImageStore> existingStore() throws LifecycleException {
    if (!Files.isRegularFile(layout.repo().resolve("config"))) {
      return Optional.empty();
    }
    return Optional.of(Stores.open(layout, clock));
  }
}
