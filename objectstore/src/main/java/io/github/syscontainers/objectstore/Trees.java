package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.ImagePath;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Looks paths up in committed trees. */
public final class Trees {
  private Trees() {}

  /** Returns the content object at {@code path} below the dirtree {@code root}, if it is a file or symlink. */
  public static Optional<ObjectId> lookupFile(OstreeRepository repo, ObjectId root, ImagePath path)
      throws ObjectStoreException {
    if (path.isRoot()) {
      return Optional.empty();
    }
    Optional<ObjectId> dir = lookupDir(repo, root, path.parent());
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    return repo.readDirTree(dir.get()).file(path.fileName()).map(DirTree.FileEntry::checksum);
  }

  /** Returns the dirtree at {@code path} below the dirtree {@code root}. */
  public static Optional<ObjectId> lookupDir(OstreeRepository repo, ObjectId root, ImagePath path)
      throws ObjectStoreException {
    ObjectId current = root;
    for (String c : path.components()) {
      Optional<DirTree.DirEntry> next = repo.readDirTree(current).dir(c);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      current = next.get().tree();
    }
    return Optional.of(current);
  }

  /** Reads a whole regular file of at most {@code maxBytes} from a tree. */
  public static Optional<byte[]> readFile(OstreeRepository repo, ObjectId root, ImagePath path, long maxBytes)
      throws ObjectStoreException {
    Optional<ObjectId> id = lookupFile(repo, root, path);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    ContentStat stat = repo.statContent(id.get());
    if (stat.isSymlink()) {
      return Optional.empty();
    }
    if (stat.size() > maxBytes) {
      throw new ObjectStoreException(
          "File " + path + " is " + stat.size() + " bytes, more than the " + maxBytes + " this reader accepts");
    }
    try (InputStream in = repo.openPayload(stat)) {
      return Optional.of(in.readNBytes((int) maxBytes));
    } catch (IOException e) {
      throw new ObjectStoreException("Tried to read " + path + " from object " + id.get() + " but failed: " + e, e);
    }
  }
}
