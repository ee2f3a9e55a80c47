package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.DirTree;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.ObjectType;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepositoryChecker;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code verify NAME}: checks that every file of a container's rootfs that was hard-linked from a repository object
 * still has the content and metadata that object's checksum says, measuring the file itself (not the store, whose
 * copy {@code fsck --repair} may have removed), and names the rootfs paths of any that does not. An in-place write
 * to such a file changes the object too, so the same finding also shows in {@code fsck}.
 */
public final class Verifier {
  /** Where a repair records the files it restores, in the deployment directory. */
  static final String PENDING = "repair-pending";

  private final Layout layout;
  private final Edge edge;
  private final java.time.Clock clock;

  public Verifier(Layout layout, Edge edge, java.time.Clock clock) {
    this.layout = layout;
    this.edge = edge;
    this.clock = clock;
  }

  /** A file whose content no longer matches its object. */
  public record Modified(String path, ObjectId object, String detail) {}

  public List<Modified> verify(String name) throws LifecycleException {
    ContainerNames.validate(name);
    Deployments deployments = new Deployments(layout.checkoutDir());
    Path deployment;
    try {
      deployment =
          deployments
              .active(name)
              .orElseThrow(() -> new LifecycleException("The container '" + name + "' doesn't exist"));
    } catch (io.github.syscontainers.checkout.CheckoutException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    ImageStore store = store();
    try {
      StoredImage image = imageOf(store, name);
      Optional<Map<String, ObjectId>> recorded = LinkedFilesRecord.read(deployment);
      Map<String, ObjectId> files = recorded.isPresent() ? recorded.get() : layerFiles(store, image);
      Path rootfs = deployment.resolve("rootfs");
      List<Modified> out = new ArrayList<>();
      for (Map.Entry<String, ObjectId> f : files.entrySet()) {
        Path p = rootfs.resolve(f.getKey().substring(1));
        if (recorded.isEmpty() && !linkedOrOrphaned(store, p, f.getValue())) {
          continue; // a deployment atomic made: a copy of an object that is still there cannot have changed it
        }
        problem(store, p, f.getValue()).ifPresent(d -> out.add(new Modified(f.getKey(), f.getValue(), d)));
      }
      return out;
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException("Tried to verify " + name + " but failed: " + e.getMessage(), e);
    }
  }

  private ImageStore store() throws LifecycleException {
    return new ImageCatalog(layout, edge, clock)
        .existingStore()
        .orElseThrow(() -> new LifecycleException("Cannot find a configured OSTree repo"));
  }

  /** The stored image the container {@code name} was installed from. */
  private StoredImage imageOf(ImageStore store, String name) throws LifecycleException, ObjectStoreException {
    ContainerRecord record =
        new Containers(layout, edge).list().stream()
            .filter(c -> c.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new LifecycleException("The container '" + name + "' doesn't exist"));
    return store.findImage(record.image())
        .orElseThrow(() -> new LifecycleException("Image " + record.image() + " not found"));
  }

  /** The container's image checked against today's signature policy, with the signatures stored with it. */
  public StoredSignatures.Report signatures(String name, io.github.syscontainers.trust.TrustCheck trust)
      throws LifecycleException {
    ContainerNames.validate(name);
    ImageStore store = store();
    try {
      StoredImage image = imageOf(store, name);
      return StoredSignatures.recheck(store, image, trust);
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /**
   * What is wrong with a rootfs file that was checked out from {@code expected}, if anything: it is measured itself,
   * as its object would be, so a file stays reported when {@code fsck --repair} has removed its corrupt object
   * from the store (the container kept the bad inode).
   */
  private static Optional<String> problem(ImageStore store, Path file, ObjectId expected) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("missing from the rootfs");
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file)) {
      return Optional.of("no longer a file");
    }
    try {
      ObjectId actual = store.repository().checksumCheckedOut(expected, file);
      return actual.equals(expected) ? Optional.empty() : Optional.of("content hashes to " + actual);
    } catch (ObjectStoreException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Whether a file shares its object's inode, or its object is gone from the store. */
  private static boolean linkedOrOrphaned(ImageStore store, Path file, ObjectId id) throws IOException {
    Path object = store.repository().objectPath(id, ObjectType.FILE);
    if (!Files.exists(object, LinkOption.NOFOLLOW_LINKS)) {
      return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(file, object);
  }

  /**
   * Restores the files {@link #verify} names: the corrupt objects and the layer refs that reach them go (as
   * {@code fsck --repair}), the image is fetched again from {@code source} (default: its recorded name, which only
   * works for registry images), and each file is linked to its restored object.
   */
  public List<Modified> repair(String name, Optional<String> source, SourceOptions options, Platform platform)
      throws LifecycleException {
    ContainerRecord record =
        new Containers(layout, edge).list().stream()
            .filter(c -> c.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new LifecycleException("The container '" + name + "' doesn't exist"));
    // the damaged paths are recorded before anything is removed, so a repair whose fetch failed can be resumed
    Path pending = record.deployment().resolve(PENDING);
    List<Modified> modified = Files.isRegularFile(pending) ? readPending(pending) : verify(name);
    if (modified.isEmpty()) {
      return modified;
    }
    ImageStore store = Stores.open(layout, clock);
    try (ContainerLock lock = ContainerLock.acquire(layout.checkoutDir(), name)) {
      writePending(pending, modified);
      new RepositoryChecker(store.repository()).repair();
      try {
        new ImageResolver(store).resolve(source.orElse(record.image()), options, platform);
      } catch (LifecycleException e) {
        throw new LifecycleException(
            "Removed the damaged objects, but could not fetch " + record.image() + " again (" + e.getMessage()
                + "); run `syscontainers verify --repair --source SOURCE " + name + "` with the image's archive or"
                + " registry reference",
            e);
      }
      Path rootfs = record.deployment().resolve("rootfs");
      for (Modified m : modified) {
        Path file = rootfs.resolve(m.path().substring(1));
        Path object = store.repository().objectPath(m.object(), ObjectType.FILE);
        Files.deleteIfExists(file);
        Files.createLink(file, object);
      }
      Files.delete(pending);
      return modified;
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException("Tried to restore the files of " + name + " but failed: " + e.getMessage(), e);
    }
  }

  private static void writePending(Path file, List<Modified> modified) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Modified m : modified) {
      b.append(m.object()).append(' ').append(m.path()).append('\n');
    }
    AtomicFiles.write(file, b.toString());
  }

  private static List<Modified> readPending(Path file) throws LifecycleException {
    try {
      List<Modified> out = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        int sp = line.indexOf(' ');
        if (sp == 64) {
          out.add(new Modified(line.substring(sp + 1), new ObjectId(line.substring(0, sp)), "recorded"));
        }
      }
      return out;
    } catch (IOException | IllegalArgumentException e) {
      throw new LifecycleException("Cannot read " + file + ": " + e.getMessage() + "; delete it and run verify", e);
    }
  }

  /** Without a record (a deployment atomic made), every file of the image's layers is a candidate. */
  private static Map<String, ObjectId> layerFiles(ImageStore store, StoredImage image) throws ObjectStoreException {
    Map<String, ObjectId> files = new LinkedHashMap<>();
    for (Digest layer : image.layers()) {
      ObjectId root = store.repository().readCommit(store.layerCommit(layer)).rootTree();
      collect(store.repository(), root, "", files);
    }
    return files;
  }

  /** Collects path → object for every file of a layer, whiteouts excluded; later layers override. */
  private static void collect(OstreeRepository repo, ObjectId tree, String prefix, Map<String, ObjectId> out)
      throws ObjectStoreException {
    DirTree t = repo.readDirTree(tree);
    for (DirTree.FileEntry f : t.files()) {
      if (!f.name().startsWith(".wh.")) {
        out.put(prefix + "/" + f.name(), f.checksum());
      }
    }
    for (DirTree.DirEntry d : t.dirs()) {
      collect(repo, d.tree(), prefix + "/" + d.name(), out);
    }
  }
}
