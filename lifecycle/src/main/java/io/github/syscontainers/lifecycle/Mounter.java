package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.CheckoutException;
import io.github.syscontainers.checkout.CheckoutMode;
import io.github.syscontainers.checkout.FileTrees;
import io.github.syscontainers.checkout.UnionCheckout;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.platform.NativeXattrs;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.RegistriesConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code mount IMAGE|NAME DIR} and {@code umount DIR}: an image's tree, or an installed container's, in an empty
 * directory for inspection. It is a union checkout by copy, so nothing done in DIR can reach the shared objects
 * (atomic bind-mounted a container's hard-linked rootfs read-write). The directory is marked, as atomic marked its
 * mounts, with the xattr {@code user.atomic.type}, or a {@code .DIR.info} file beside it where xattrs are missing.
 */
public final class Mounter {
  static final String MARK = "user.atomic.type";
  static final String TYPE = "ostree-image";

  private final Layout layout;
  private final Edge edge;
  private final Clock clock;
  private final RegistriesConf registries;

  public Mounter(Layout layout, Edge edge, Clock clock) {
    this(layout, edge, clock, RegistriesConf.EMPTY);
  }

  /** A mounter that looks short names up under {@code registries}' search registries and aliases too. */
  public Mounter(Layout layout, Edge edge, Clock clock, RegistriesConf registries) {
    this.layout = layout;
    this.edge = edge;
    this.clock = clock;
    this.registries = registries;
  }

  public void mount(String what, Path dir) throws LifecycleException {
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw new LifecycleException("The destination path is not empty.");
          }
        }
      }
      ImageStore store =
          new ImageCatalog(layout, edge, clock).existingStore()
              .orElseThrow(() -> new LifecycleException("Could not find any image matching '" + what + "'"));
      StoredImage image = find(store, what);
      List<ObjectId> commits = new ArrayList<>();
      for (Digest layer : image.layers()) {
        commits.add(store.layerCommit(layer));
      }
      CheckoutMode mode = layout.rootMode() ? CheckoutMode.NONE : CheckoutMode.USER;
      new UnionCheckout(store.repository(), mode, false).checkout(commits, dir);
      mark(dir);
    } catch (ObjectStoreException | CheckoutException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException("Tried to mount " + what + " at " + dir + " but failed: " + e.getMessage(), e);
    }
  }

  private StoredImage find(ImageStore store, String what) throws LifecycleException, ObjectStoreException {
    Optional<ContainerRecord> container =
        ContainerNames.isValid(what)
            ? new Containers(layout, edge).list().stream().filter(c -> c.name().equals(what)).findFirst()
            : Optional.empty();
    if (container.isPresent()) {
      return store.findImage(container.get().image())
          .orElseThrow(() -> new LifecycleException(
              "Could not find any image matching '" + what + "': the image " + container.get().image()
                  + " of the container is no longer stored; pull it again"));
    }
    LocalImages.Lookup found = new LocalImages(store, registries).find(what);
    return found.image().orElseThrow(() -> new LifecycleException(
        "Could not find any image matching '" + what + "' (looked for " + found.describe() + ")"));
  }

  /** Empties a directory {@code mount} filled, and removes the mark; anything else is refused. */
  public void umount(Path dir) throws LifecycleException {
    try {
      if (!isMarked(dir)) {
        throw new LifecycleException(
            dir + " is not a syscontainers mount point; nothing was removed");
      }
      FileTrees.deleteContents(dir);
      unmark(dir);
    } catch (IOException e) {
      throw new LifecycleException("Tried to unmount " + dir + " but failed: " + e.getMessage(), e);
    }
  }

  private static Path infoFile(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return abs.resolveSibling("." + abs.getFileName() + ".info");
  }

  private static void mark(Path dir) throws IOException {
    try {
      NativeXattrs.set(dir, MARK, TYPE.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      Files.writeString(infoFile(dir), "{\"" + MARK + "\": \"" + TYPE + "\"}\n");
    }
  }

  private static boolean isMarked(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    byte[] v = NativeXattrs.get(dir, MARK);
    if (v != null) {
      return new String(v, StandardCharsets.UTF_8).contains("ostree");
    }
    Path info = infoFile(dir);
    return Files.isRegularFile(info) && Files.readString(info).contains("ostree");
  }

  private static void unmark(Path dir) throws IOException {
    Files.deleteIfExists(infoFile(dir));
    if (NativeXattrs.get(dir, MARK) != null) {
      NativeXattrs.remove(dir, MARK);
    }
  }
}
