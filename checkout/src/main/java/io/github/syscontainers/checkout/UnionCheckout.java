package io.github.syscontainers.checkout;

import io.github.syscontainers.objectstore.ContentObject;
import io.github.syscontainers.objectstore.DirTree;
import io.github.syscontainers.objectstore.FileMeta;
import io.github.syscontainers.objectstore.NativeXattrs;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.ObjectType;
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
import java.nio.file.attribute.FileTime;
import java.util.List;
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
 * <p>Not thread-safe; use one per checkout.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts">OCI whiteouts</a>
 */
public final class UnionCheckout {
  private static final Logger LOG = LoggerFactory.getLogger(UnionCheckout.class);
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final FileTime EPOCH = FileTime.fromMillis(0);

  private final OstreeRepository repo;
  private final CheckoutMode mode;
  private final boolean hardLinks;
  private long linked;
  private long copied;
  private long directories;
  private long whiteouts;

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
    try {
      boolean created = !Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS);
      Files.createDirectories(destination);
      for (ObjectId commit : commits) {
        ObjectId root = repo.readCommit(commit).rootTree();
        walk(root, destination, created);
        created = false;
      }
    } catch (ObjectStoreException e) {
      throw new CheckoutException("Tried to check out into " + destination + " but failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckoutException(
          "Tried to check out into " + destination + " but failed: " + e + "; check free space and permissions", e);
    }
    return new CheckoutStats(linked, copied, directories, whiteouts);
  }

  private void walk(ObjectId treeId, Path dir, boolean dirIsNew) throws IOException {
    DirTree tree = repo.readDirTree(treeId);
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
      place(f.checksum(), dir.resolve(name), dirIsNew);
    }
    for (DirTree.DirEntry d : tree.dirs()) {
      Path child = dir.resolve(d.name());
      boolean isNew = !Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
      FileMeta meta = repo.readDirMeta(d.meta());
      if (isNew) {
        FileTrees.deleteRecursively(child);
        Files.createDirectory(child);
        Files.setAttribute(child, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
        directories++;
      }
      walk(d.tree(), child, isNew);
      if (isNew) {
        applyMeta(child, meta);
      }
    }
  }

  /** Applies metadata to a directory or regular file made here: owner, xattrs and mode in NONE, mode in USER. */
  private void applyMeta(Path p, FileMeta meta) throws IOException {
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

  /** @param fresh the directory was made by this checkout's current layer, so nothing is in the way */
  private void place(ObjectId id, Path dest, boolean fresh) throws IOException {
    ContentObject obj = repo.loadContent(id);
    if (!fresh && Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      FileTrees.deleteRecursively(dest);
    }
    if (linkable(obj)) {
      try {
        Files.createLink(dest, repo.objectPath(id, ObjectType.FILE));
        linked++;
        return;
      } catch (FileSystemException e) {
        // EXDEV, EMLINK, EPERM: fall back to a copy, as ostree does without --require-hardlinks
        LOG.debug("Hard link of {} to {} failed ({}); copying", id, dest, e.getMessage());
      }
    }
    copy(obj, dest);
    copied++;
  }

  private boolean linkable(ContentObject obj) {
    if (!hardLinks) {
      return false;
    }
    if (obj.isSymlink()) {
      return repo.mode() == RepoMode.BARE;
    }
    return obj.size() > 0 && (mode == CheckoutMode.NONE || (obj.meta().permissions() & 0400) != 0);
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
