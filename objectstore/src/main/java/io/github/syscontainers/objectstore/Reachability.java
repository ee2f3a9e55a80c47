package io.github.syscontainers.objectstore;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Walks refs to the objects they reach: commit, then dirtrees and dirmetas, then files. Records, for each object,
 * one ref that reaches it (to name in reports) and which objects are missing or unreadable on the way.
 *
 * <p>Not thread-safe.
 */
final class Reachability {
  /** An object named by its id and type. */
  record Key(ObjectId id, ObjectType type) {}

  private final OstreeRepository repo;
  private final Map<Key, String> reached = new HashMap<>();
  private final Map<Key, String> broken = new HashMap<>();

  Reachability(OstreeRepository repo) {
    this.repo = repo;
  }

  /** Walks every local ref. */
  Reachability walkAll() throws ObjectStoreException {
    for (Map.Entry<String, ObjectId> ref : repo.listRefs("").entrySet()) {
      walk(ref.getKey(), ref.getValue());
    }
    return this;
  }

  private void walk(String ref, ObjectId commitId) {
    Deque<Key> todo = new ArrayDeque<>();
    todo.push(new Key(commitId, ObjectType.COMMIT));
    while (!todo.isEmpty()) {
      Key k = todo.pop();
      if (reached.containsKey(k)) {
        continue;
      }
      reached.put(k, ref);
      try {
        if (k.type() == ObjectType.COMMIT) {
          Commit c = repo.readCommit(k.id());
          todo.push(new Key(c.rootTree(), ObjectType.DIR_TREE));
          todo.push(new Key(c.rootMeta(), ObjectType.DIR_META));
        } else if (k.type() == ObjectType.DIR_TREE) {
          DirTree t = repo.readDirTree(k.id());
          for (DirTree.FileEntry f : t.files()) {
            todo.push(new Key(f.checksum(), ObjectType.FILE));
          }
          for (DirTree.DirEntry d : t.dirs()) {
            todo.push(new Key(d.tree(), ObjectType.DIR_TREE));
            todo.push(new Key(d.meta(), ObjectType.DIR_META));
          }
        }
      } catch (ObjectStoreException e) {
        broken.put(k, e.getMessage());
      }
    }
  }

  /** Every object reached, with a ref that reaches it. */
  Map<Key, String> reached() {
    return reached;
  }

  /** Metadata objects that were missing or unreadable, with the reason. */
  Map<Key, String> broken() {
    return broken;
  }

  /** Returns the refs (of those walked) whose objects include {@code key}. */
  static Set<String> refsReaching(OstreeRepository repo, Set<Key> keys) throws ObjectStoreException {
    Set<String> out = new LinkedHashSet<>();
    for (Map.Entry<String, ObjectId> ref : repo.listRefs("").entrySet()) {
      Reachability r = new Reachability(repo);
      r.walk(ref.getKey(), ref.getValue());
      for (Key k : keys) {
        if (r.reached.containsKey(k)) {
          out.add(ref.getKey());
          break;
        }
      }
    }
    return out;
  }
}
