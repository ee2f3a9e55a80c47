package io.github.syscontainers.objectstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.TreeMap;

/**
 * A directory tree being built in memory from a layer's entries, holding only names, metadata and object ids (never
 * file contents); an id may still be pending while a writer thread stores the file. A later entry replaces an earlier one of the same name, even when one is a file and the other a
 * directory. Written bottom-up: file objects first, then dirmetas and dirtrees, so parents never name missing
 * children.
 *
 * <p>Not thread-safe.
 */
public final class MutableTree {
  private static final FileMeta DEFAULT_DIR = FileMeta.directory(0, 0, 0755);

  private FileMeta meta = DEFAULT_DIR;
  private final Map<String, CompletableFuture<ObjectId>> files = new TreeMap<>(DirTree.NAME_ORDER);
  private final Map<String, MutableTree> dirs = new TreeMap<>(DirTree.NAME_ORDER);

  /** Returns the child directory {@code name}, creating it (and dropping a file of that name) when needed. */
  public MutableTree directory(String name) {
    DirTree.validateName(name);
    MutableTree child = dirs.get(name);
    if (child == null) {
      files.remove(name);
      child = new MutableTree();
      dirs.put(name, child);
    }
    return child;
  }

  /** Returns the child directory {@code name} if there is one. */
  public Optional<MutableTree> existingDirectory(String name) {
    return Optional.ofNullable(dirs.get(name));
  }

  /** Returns the file or symlink object under {@code name}, perhaps still being written, if there is one. */
  public Optional<CompletableFuture<ObjectId>> existingFile(String name) {
    return Optional.ofNullable(files.get(name));
  }

  /** Sets this directory's metadata. */
  public void setMeta(FileMeta meta) {
    if (!meta.isDirectory()) {
      throw new IllegalArgumentException("Directory metadata needs a directory mode");
    }
    this.meta = meta;
  }

  /** Returns this directory's metadata. */
  public FileMeta meta() {
    return meta;
  }

  /** Puts a file or symlink object under {@code name}, replacing whatever was there. */
  public void putFile(String name, ObjectId object) {
    putFile(name, CompletableFuture.completedFuture(object));
  }

  /** Puts a file whose object is still being written; {@link #write} waits for it. */
  public void putFile(String name, CompletableFuture<ObjectId> object) {
    DirTree.validateName(name);
    dirs.remove(name);
    files.put(name, object);
  }

  /** Removes the file or directory {@code name}. */
  public void remove(String name) {
    files.remove(name);
    dirs.remove(name);
  }

  /** Waits for a pending object, unwrapping the writer's failure. */
  static ObjectId join(CompletableFuture<ObjectId> f) throws ObjectStoreException {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof ObjectStoreException) {
        throw (ObjectStoreException) c;
      }
      throw new ObjectStoreException("Writing an object failed: " + c, c);
    }
  }

  /** The dirtree and dirmeta objects a written directory is named by. */
  public record Written(ObjectId tree, ObjectId meta) {}

  /** Writes this directory and everything below it; returns its dirtree and dirmeta ids. */
  public Written write(OstreeRepository repo) throws ObjectStoreException {
    List<DirTree.DirEntry> dirEntries = new ArrayList<>(dirs.size());
    for (Map.Entry<String, MutableTree> e : dirs.entrySet()) {
      Written w = e.getValue().write(repo);
      dirEntries.add(new DirTree.DirEntry(e.getKey(), w.tree(), w.meta()));
    }
    List<DirTree.FileEntry> fileEntries = new ArrayList<>(files.size());
    for (Map.Entry<String, CompletableFuture<ObjectId>> e : files.entrySet()) {
      fileEntries.add(new DirTree.FileEntry(e.getKey(), join(e.getValue())));
    }
    ObjectId metaId = repo.writeMetadata(ObjectType.DIR_META, OstreeCodec.encodeDirMeta(meta)).id();
    ObjectId treeId =
        repo.writeMetadata(ObjectType.DIR_TREE, OstreeCodec.encodeDirTree(new DirTree(fileEntries, dirEntries))).id();
    return new Written(treeId, metaId);
  }
}
