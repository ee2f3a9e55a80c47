package io.github.syscontainers.checkout;

import io.github.syscontainers.objectstore.ContentObject;
import io.github.syscontainers.objectstore.ContentStat;
import io.github.syscontainers.objectstore.DirTree;
import io.github.syscontainers.objectstore.FileMeta;
import io.github.syscontainers.objectstore.NativeMetadata;
import io.github.syscontainers.platform.NativeXattrs;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import io.github.syscontainers.objectstore.Xattr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the layers of an image out into one directory, base first, as {@code ostree checkout --union --whiteouts}
 * does: {@code .wh.NAME} removes NAME from lower layers, {@code .wh..wh..opq} empties the directory first, a later
 * layer's entry replaces an earlier one whatever its type, directories merge. File contents are hard-linked from
 * the repository when its mode matches the checkout mode and the link probe succeeded, and copied otherwise; empty
 * files and bare-user symlinks are always created afresh, as ostree does. No symlink in the destination is ever
 * followed.
 *
 * <p>Directories and whiteouts are handled in order by the calling thread; file placements of a layer go to a small
 * pool, and the layer is complete (its new directories' modes applied, children first) before the next begins.
 *
 * <p>Not thread-safe; use one per checkout.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts">OCI whiteouts</a>
 */
public final class UnionCheckout {
  private static final Logger LOG = LoggerFactory.getLogger(UnionCheckout.class);
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final FileTime EPOCH = FileTime.fromMillis(0);

  /** A directory is private while its files are placed; its own mode comes last. */
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final OstreeRepository repo;
  private final CheckoutMode mode;
  private final boolean hardLinks;
  /** Placements handed to the pool before the walk waits for them. */
  private static final int MAX_PENDING = 4096;
  /**
   * Placements per task: a task per file cost a wake-up of a pool thread per file, and each futex call is dear in a
   * virtual machine (a warm install of the bench image: ~55 ms of its CPU in futex wake and wait, 10,451 files).
   */
  private static final int BATCH = 64;

  private static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private final LongAdder linked = new LongAdder();
  private final LongAdder copied = new LongAdder();
  private long directories;
  private long whiteouts;
  /** The index of the layer being checked out, base 0. */
  private int layer;
  private ExecutorService pool;
  private final List<Future<?>> pending = new ArrayList<>();
  /** Placements not yet handed to the pool. */
  private List<Placement> batch = new ArrayList<>(BATCH);
  private final List<Map.Entry<Path, FileMeta>> newDirs = new ArrayList<>();
  private final Map<ObjectId, FileMeta> dirMetas = new HashMap<>();
  /** Sorted as it fills, so handing it out costs no copy (a layer of a million files makes this map large). */
  private final Map<String, ObjectId> linkedFiles = new ConcurrentSkipListMap<>();

  /**
   * @param hardLinks whether to try hard links at all (see {@link LinkProbe}); they are used only when the
   *     repository mode matches the checkout mode
   */
  public UnionCheckout(OstreeRepository repo, CheckoutMode mode, boolean hardLinks) {
    this.repo = repo;
    this.mode = mode;
    this.hardLinks = hardLinks && modesMatch(repo.mode(), mode);
  }

  private static boolean modesMatch(RepoMode repoMode, CheckoutMode mode) {
    return mode == CheckoutMode.NONE
        ? repoMode == RepoMode.BARE
        : repoMode == RepoMode.BARE_USER || repoMode == RepoMode.BARE_USER_ONLY;
  }

  /** Checks out the given commits, in order, into {@code destination} (created when missing). */
  public CheckoutStats checkout(List<ObjectId> commits, Path destination) throws CheckoutException {
    pool = Executors.newFixedThreadPool(THREADS, UnionCheckout::daemon);
    linkedFiles.clear();
    pending.clear(); // what a failed checkout left
    batch.clear();
    try {
      boolean created = !Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS);
      Files.createDirectories(destination);
      List<ObjectId> roots = new ArrayList<>();
      for (ObjectId commit : commits) {
        roots.add(repo.readCommit(commit).rootTree());
      }
      LaterRemovals removals = LaterRemovals.of(repo, roots);
      for (layer = 0; layer < roots.size(); layer++) {
        walk(roots.get(layer), destination, "", created, removals);
        // a layer is complete before the next one's whiteouts look at it
        drain();
        applyNewDirMeta();
        created = false;
      }
    } catch (ObjectStoreException e) {
      throw new CheckoutException("Tried to check out into " + destination + " but failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckoutException(
          "Tried to check out into " + destination + " but failed: " + e + "; check free space and permissions", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CheckoutException("Interrupted while checking out into " + destination, e);
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new CheckoutStats(linked.sum(), copied.sum(), directories, whiteouts);
  }

  /**
   * The files the last {@link #checkout} hard-linked to repository objects, path under the destination (starting
   * with {@code /}) to object, sorted by path. A later layer may since have removed or replaced an entry; a reader
   * checks that the path is still the object's link before trusting it.
   */
  public Map<String, ObjectId> linkedFiles() {
    return Collections.unmodifiableMap(linkedFiles);
  }

  /** A file to place: object, destination, path under the destination, and whether its directory is new. */
  private record Placement(ObjectId id, Path dest, String rel, boolean fresh) {}

  /** Hands the placements gathered so far to the pool as one task. */
  private void submitBatch() throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    List<Placement> mine = batch;
    batch = new ArrayList<>(BATCH);
    pending.add(
        pool.submit(
            () -> {
              for (Placement p : mine) {
                place(p.id(), p.dest(), p.rel(), p.fresh());
              }
              return null;
            }));
    if (pending.size() >= MAX_PENDING / BATCH) {
      // the walk outruns the linkers: waiting here keeps memory flat however many files a layer has
      drainInterruptibly();
    }
  }

  /** Waits for the file placements of the current layer; the first failure is rethrown. */
  private void drain() throws IOException, InterruptedException {
    submitBatch();
    try {
      for (Future<?> f : pending) {
        f.get();
      }
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      throw new IOException(c);
    } finally {
      pending.clear();
    }
  }

  private void drainInterruptibly() throws IOException {
    try {
      drain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while checking out");
    }
  }

  /** Applies the metadata of directories this layer made, children before parents (a 0555 parent comes last). */
  private void applyNewDirMeta() throws IOException {
    for (int i = newDirs.size() - 1; i >= 0; i--) {
      applyMeta(newDirs.get(i).getKey(), newDirs.get(i).getValue());
    }
    newDirs.clear();
  }

  /** Few distinct dirmeta objects serve thousands of directories; each is read once per checkout. */
  private FileMeta dirMeta(ObjectId id) throws ObjectStoreException {
    FileMeta meta = dirMetas.get(id);
    if (meta == null) {
      meta = repo.readDirMeta(id);
      dirMetas.put(id, meta);
    }
    return meta;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "checkout");
    t.setDaemon(true);
    return t;
  }

  /**
   * @param rel the path of {@code dir} under the destination: empty for the destination, else {@code /a/b}
   * @param later what upper layers remove under {@code dir}, or null when they remove nothing there
   */
  private void walk(ObjectId treeId, Path dir, String rel, boolean dirIsNew, LaterRemovals later)
      throws IOException {
    DirTree tree = repo.readDirTree(treeId);
    if (later != null && later.emptiedAfter(layer)) {
      // an upper layer's .wh..wh..opq empties this directory: nothing of this layer's would stay in it
      later = null;
      tree = DirTree.EMPTY;
    }
    boolean opaque = tree.file(OPAQUE).isPresent();
    if (opaque && !dirIsNew) {
      FileTrees.deleteContents(dir);
      whiteouts++;
    }
    for (DirTree.FileEntry f : tree.files()) {
      String name = f.name();
      if (name.startsWith(WHITEOUT)) {
        if (!name.equals(OPAQUE) && !dirIsNew) {
          FileTrees.deleteRecursively(dir.resolve(name.substring(WHITEOUT.length())));
          whiteouts++;
        }
        continue;
      }
      if (removedLater(later, name)) {
        continue;
      }
      batch.add(new Placement(f.checksum(), dir.resolve(name), rel + "/" + name, dirIsNew));
      if (batch.size() == BATCH) {
        submitBatch();
      }
    }
    for (DirTree.DirEntry d : tree.dirs()) {
      if (removedLater(later, d.name())) {
        continue;
      }
      Path child = dir.resolve(d.name());
      // under a directory this layer made, nothing is in the way: no stat, no delete
      boolean isNew = dirIsNew || !Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
      if (isNew) {
        if (!dirIsNew) {
          FileTrees.deleteRecursively(child);
        }
        Files.createDirectory(child, PRIVATE_DIR);
        directories++;
        newDirs.add(Map.entry(child, dirMeta(d.meta())));
      }
      walk(d.tree(), child, rel + "/" + d.name(), isNew, later == null ? null : later.child(d.name()));
    }
  }

  private boolean removedLater(LaterRemovals later, String name) {
    LaterRemovals node = later == null ? null : later.child(name);
    return node != null && node.removedAfter(layer);
  }

  /** Applies metadata to a directory or regular file made here: owner, xattrs and mode in NONE, mode in USER. */
  private void applyMeta(Path p, FileMeta meta) throws IOException {
    if (NativeMetadata.available()) {
      boolean owner = mode == CheckoutMode.NONE;
      int bits = owner ? meta.permissions() : meta.permissions() & 0777;
      NativeMetadata.apply(p, owner, meta.uid(), meta.gid(), bits, owner ? meta.xattrs() : List.of());
      return;
    }
    if (mode == CheckoutMode.NONE) {
      // owner first: chown clears setuid
      Files.setAttribute(p, "unix:uid", meta.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", meta.gid(), LinkOption.NOFOLLOW_LINKS);
      setXattrs(p, meta.xattrs());
      Files.setAttribute(p, "unix:mode", meta.permissions(), LinkOption.NOFOLLOW_LINKS);
    } else {
      Files.setAttribute(p, "unix:mode", meta.permissions() & 0777, LinkOption.NOFOLLOW_LINKS);
    }
    Files.setLastModifiedTime(p, EPOCH);
  }

  /**
   * @param rel the file's path under the destination, as {@link #linkedFiles} names it
   * @param fresh the directory was made by this checkout's current layer, so nothing is in the way
   */
  private void place(ObjectId id, Path dest, String rel, boolean fresh) throws IOException {
    // the stat first: a missing object fails the checkout before anything in the way is deleted
    ContentStat stat = hardLinks ? repo.statContent(id) : null;
    ContentObject obj = hardLinks ? null : repo.loadContent(id);
    if (!fresh && Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      FileTrees.deleteRecursively(dest);
    }
    if (stat != null && linkable(stat)) {
      try {
        Files.createLink(dest, stat.path());
        linkedFiles.put(rel, id);
        linked.increment();
        return;
      } catch (FileSystemException e) {
        // EXDEV, EMLINK, EPERM: fall back to a copy, as ostree does without --require-hardlinks
        LOG.debug("Hard link of {} to {} failed ({}); copying", id, dest, e.getMessage());
      }
    }
    copy(obj != null ? obj : repo.loadContent(id), dest);
    copied.increment();
  }

  /** A link shares the object's inode: only where its owner and mode are what the checkout mode wants. */
  private boolean linkable(ContentStat stat) {
    if (stat.isSymlink()) {
      return repo.mode() == RepoMode.BARE;
    }
    return stat.size() > 0 && (mode == CheckoutMode.NONE || (stat.permissions() & 0400) != 0);
  }

  private void copy(ContentObject obj, Path dest) throws IOException {
    FileMeta meta = obj.meta();
    if (obj.isSymlink()) {
      Files.createSymbolicLink(dest, Path.of(obj.symlinkTarget()));
      if (mode == CheckoutMode.NONE) {
        Files.setAttribute(dest, "unix:uid", meta.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dest, "unix:gid", meta.gid(), LinkOption.NOFOLLOW_LINKS);
      }
      return;
    }
    try (InputStream in = repo.openPayload(obj)) {
      Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
    }
    applyMeta(dest, meta);
  }

  private static void setXattrs(Path p, List<Xattr> xattrs) throws IOException {
    for (Xattr x : xattrs) {
      NativeXattrs.set(p, x.name(), x.value());
    }
  }
}
