package io.github.syscontainers.checkout;

import io.github.syscontainers.objectstore.DirTree;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.OstreeRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the upper layers of an image remove from the layers under them, so a union checkout never places a file
 * that a later whiteout would delete (an image that drops {@code /usr/share/doc} in its top layer otherwise makes
 * and removes thousands of files). A trie of the paths whiteouts name, each node with the highest layer that
 * removes it ({@code .wh.NAME}) or empties it ({@code .wh..wh..opq}).
 *
 * <p>Only an optimisation: the checkout still applies every whiteout as it reaches it.
 */
final class LaterRemovals {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final Map<String, LaterRemovals> children = new HashMap<>();
  private int removedBy = -1;
  private int emptiedBy = -1;

  /** Reads the whiteouts of every layer but the first; {@code roots} are the layers' root trees, base first. */
  static LaterRemovals of(OstreeRepository repo, List<ObjectId> roots) throws ObjectStoreException {
    LaterRemovals top = new LaterRemovals();
    for (int layer = 1; layer < roots.size(); layer++) {
      top.collect(repo, roots.get(layer), layer);
    }
    return top;
  }

  private void collect(OstreeRepository repo, ObjectId treeId, int layer) throws ObjectStoreException {
    DirTree tree = repo.readDirTree(treeId);
    for (DirTree.FileEntry f : tree.files()) {
      String name = f.name();
      if (name.equals(OPAQUE)) {
        emptiedBy = Math.max(emptiedBy, layer);
      } else if (name.startsWith(WHITEOUT) && name.length() > WHITEOUT.length()) {
        LaterRemovals target = children.computeIfAbsent(name.substring(WHITEOUT.length()), n -> new LaterRemovals());
        target.removedBy = Math.max(target.removedBy, layer);
      }
    }
    for (DirTree.DirEntry d : tree.dirs()) {
      LaterRemovals child = children.get(d.name());
      boolean fresh = child == null;
      if (fresh) {
        child = new LaterRemovals();
      }
      child.collect(repo, d.tree(), layer);
      if (fresh && !child.isEmpty()) {
        children.put(d.name(), child);
      }
    }
  }

  private boolean isEmpty() {
    return children.isEmpty() && removedBy < 0 && emptiedBy < 0;
  }

  /** The node of the entry {@code name} in this directory, or null when no later layer touches it. */
  LaterRemovals child(String name) {
    return children.get(name);
  }

  /** Whether a layer after {@code layer} removes this path, so {@code layer} need not place it. */
  boolean removedAfter(int layer) {
    return removedBy > layer;
  }

  /** Whether a layer after {@code layer} empties this directory, so {@code layer} need not place anything in it. */
  boolean emptiedAfter(int layer) {
    return emptiedBy > layer;
  }
}
