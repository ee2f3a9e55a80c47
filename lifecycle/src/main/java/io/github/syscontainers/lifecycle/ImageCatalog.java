package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.RegistriesConf;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.RemoteImages;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
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
  private final RegistriesConf registries;

  /** A catalog that looks short names up with no registries.conf: {@code localhost/} and Docker Hub's forms. */
  public ImageCatalog(Layout layout, Edge edge, Clock clock) {
    this(layout, edge, clock, RegistriesConf.EMPTY);
  }

  /** A catalog that looks short names up under {@code registries}' search registries and aliases too. */
  public ImageCatalog(Layout layout, Edge edge, Clock clock, RegistriesConf registries) {
    this.layout = layout;
    this.edge = edge;
    this.clock = clock;
    this.registries = registries;
  }

  /**
   * One row of {@code images list}.
   *
   * @param used some installed container runs this image (atomic's {@code >} marker)
   * @param complete every layer of the image is stored; false after {@code fsck --repair} removed a damaged one
   */
  public record Row(
      String repo, String tag, String id, Instant created, Optional<Long> virtualSize, boolean used,
      boolean complete) {}

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
        boolean complete = true;
        for (io.github.syscontainers.model.Digest layer : img.layers()) {
          complete &= store.get().hasLayer(layer);
        }
        rows.add(new Row(repo, tag, id, img.created(), store.get().virtualSize(img), used.contains(id), complete));
      }
      return rows;
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** Returns the labels and template variables of a stored image. */
  public ImageInfo.Report info(String name) throws LifecycleException {
    ImageStore store = existingStore().orElseThrow(() -> notFound(name, List.of()));
    return ImageInfo.of(store, find(store, name));
  }

  /** The name under which the image {@code name} means is stored, if it is ({@link LocalImages}). */
  public Optional<String> storedName(String name) throws LifecycleException {
    Optional<ImageStore> store = existingStore();
    if (store.isEmpty()) {
      return Optional.empty();
    }
    return new LocalImages(store.get(), registries).find(name).image().map(StoredImage::name);
  }

  /**
   * The names under which the images {@code names} mean are stored ({@link LocalImages}); fails on the first name
   * that means none, so that a delete can list what it will do before doing any of it.
   */
  public List<String> storedNames(List<String> names) throws LifecycleException {
    ImageStore store = existingStore().orElseThrow(() -> notFound(names.get(0), List.of()));
    List<String> out = new ArrayList<>();
    for (String n : names) {
      String stored = find(store, n).name();
      if (!out.contains(stored)) {
        out.add(stored);
      }
    }
    return out;
  }

  /** The names of every tagged image in the store. */
  public List<String> allNames() throws LifecycleException {
    Optional<ImageStore> store = existingStore();
    if (store.isEmpty()) {
      return List.of();
    }
    try {
      return store.get().listImages(false).stream().map(StoredImage::name).toList();
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** Deletes image refs; layers stay until {@code images prune}. Every name is found before any is deleted. */
  public void delete(List<String> names) throws LifecycleException {
    List<String> stored = storedNames(names);
    ImageStore store = existingStore().orElseThrow(() -> notFound(names.get(0), List.of()));
    try {
      for (String name : stored) {
        store.deleteImage(name);
      }
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /**
   * {@code images delete --remote}: deletes the manifest an image name names from its registry (the store is not
   * touched). Returns the digest deleted.
   */
  public Digest deleteRemote(String image, SourceOptions options) throws LifecycleException {
    SourceReference ref;
    try {
      ref = SourceReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    if (!(ref instanceof SourceReference.Registry)) {
      throw new LifecycleException(
          "--remote deletes an image from a registry; " + image + " names a file or directory, not a registry image");
    }
    try {
      return RemoteImages.delete((SourceReference.Registry) ref, options);
    } catch (RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** Gives an image a second name; {@code :latest} is implied, as atomic's ref encoding implied it. */
  public void tag(String src, String dest) throws LifecycleException {
    ImageStore store = existingStore().orElseThrow(() -> new LifecycleException("Cannot find image " + src + "."));
    StoredImage image = find(store, src);
    boolean tagged = dest.contains("@") || dest.lastIndexOf(':') > dest.lastIndexOf('/');
    try {
      store.tag(image.name(), tagged ? dest : dest + ":latest");
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /**
   * Writes the stored images {@code names} mean to {@code dest} ({@code save}, {@code push}, {@code copy ostree:}),
   * each layer rebuilt byte for byte where it can be ({@link ImageCopy#export}).
   */
  public List<io.github.syscontainers.registry.ImageCopier.Result> export(List<String> names,
      io.github.syscontainers.registry.SourceReference dest, io.github.syscontainers.registry.SourceOptions options,
      List<String> additionalTags, io.github.syscontainers.registry.ImageCopier.Options copy,
      java.util.OptionalLong chunkSize, NoticeListener notices) throws LifecycleException {
    return export(names, dest, options, additionalTags, copy, chunkSize, notices, Optional.empty(), false);
  }

  /**
   * {@link #export(List, io.github.syscontainers.registry.SourceReference,
   * io.github.syscontainers.registry.SourceOptions, List, io.github.syscontainers.registry.ImageCopier.Options,
   * java.util.OptionalLong, NoticeListener)} carrying the images' stored signatures where they can go
   * ({@link ImageCopy#export}); {@code strict} refuses an export that would leave some behind.
   */
  public List<io.github.syscontainers.registry.ImageCopier.Result> export(List<String> names,
      io.github.syscontainers.registry.SourceReference dest, io.github.syscontainers.registry.SourceOptions options,
      List<String> additionalTags, io.github.syscontainers.registry.ImageCopier.Options copy,
      java.util.OptionalLong chunkSize, NoticeListener notices,
      Optional<io.github.syscontainers.trust.TrustCheck> signatures, boolean strict) throws LifecycleException {
    ImageStore store = existingStore().orElseThrow(() -> notFound(names.get(0), List.of()));
    List<StoredImage> images = new ArrayList<>();
    for (String n : names) {
      StoredImage i = find(store, n);
      if (images.stream().noneMatch(x -> x.name().equals(i.name()))) {
        images.add(i);
      }
    }
    return ImageCopy.export(store, images, dest, options, additionalTags, copy, chunkSize, notices, signatures,
        strict);
  }

  private StoredImage find(ImageStore store, String name) throws LifecycleException {
    LocalImages.Lookup found = new LocalImages(store, registries).find(name);
    return found.image().orElseThrow(() -> notFound(name, found.lookedFor()));
  }

  private LifecycleException notFound(String name, List<String> lookedFor) {
    return new LifecycleException(
        "Image " + name + " not found"
            + (lookedFor.isEmpty() ? ": the store " + layout.repo() + " holds no images yet"
                : " (looked for " + String.join(", ", lookedFor) + " in " + layout.repo() + ")")
            + "; pull it first, or see `images list`");
  }

  /** Opens the store, or returns empty when no repository exists yet (nothing was ever pulled). */
  Optional<ImageStore> existingStore() throws LifecycleException {
    if (!Files.isRegularFile(layout.repo().resolve("config"))) {
      return Optional.empty();
    }
    return Optional.of(Stores.open(layout, clock));
  }
}
