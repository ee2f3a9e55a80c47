package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ImageCatalog;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code syscontainers images delete IMAGE…|--all [--remote]}: images' refs removed from the store (their objects go
 * at the next {@code prune}), or with {@code --remote} deleted from their registry, the store untouched.
 */
public final class DeleteImagesCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private final List<String> images = new ArrayList<>();
  private boolean all;
  private boolean remote;

  DeleteImagesCommand(Session session) {
    this.session = session;
  }

  /** Adds images to delete, by name or short name. */
  public DeleteImagesCommand addImage(String... names) {
    images.addAll(List.of(names));
    return this;
  }

  /** {@code --all}: every image of the store. */
  public DeleteImagesCommand setAll(boolean all) {
    this.all = all;
    return this;
  }

  /** {@code --remote}: delete from the registry instead (the store is not touched). */
  public DeleteImagesCommand setRemote(boolean remote) {
    this.remote = remote;
    return this;
  }

  /** {@code --remote}'s registry flags (TLS, credentials). */
  public DeleteImagesCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** The names the call will delete, resolved as it will (to ask before deleting). */
  public List<String> targets() throws SystemContainersException {
    try {
      return targets(session.catalog());
    } catch (LifecycleException e) {
      throw Session.failure("images delete", String.join(" ", images), e);
    }
  }

  private List<String> targets(ImageCatalog catalog) throws LifecycleException, SystemContainersException {
    if (all == !images.isEmpty()) {
      throw new SystemContainersException("images delete", null,
          "You must select --all or provide a list of images to delete.", 1, null);
    }
    if (remote) {
      return all ? catalog.allNames() : List.copyOf(images);
    }
    return all ? catalog.allNames() : catalog.storedNames(images);
  }

  /** Deletes; with {@code --remote}, each image is tried and its failure recorded, not thrown. */
  public List<ImageDeletion> call() throws SystemContainersException {
    try {
      ImageCatalog catalog = session.catalog();
      List<String> names = targets(catalog);
      List<ImageDeletion> out = new ArrayList<>();
      if (remote) {
        var options = source.options(session);
        for (String target : names) {
          String img = target.startsWith("docker://") ? target : "docker://" + target.replaceFirst("^https?:(//)?", "");
          try {
            out.add(new ImageDeletion(img, Optional.of(catalog.deleteRemote(target, options).toString()),
                Optional.empty()));
          } catch (LifecycleException e) {
            out.add(new ImageDeletion(img, Optional.empty(), Optional.of(e.getMessage())));
          }
        }
        return out;
      }
      if (names.isEmpty()) {
        throw new LifecycleException("No images to delete.");
      }
      catalog.delete(names);
      names.forEach(n -> out.add(new ImageDeletion(n, Optional.empty(), Optional.empty())));
      return out;
    } catch (LifecycleException e) {
      throw Session.failure("images delete", String.join(" ", images), e);
    }
  }
}
