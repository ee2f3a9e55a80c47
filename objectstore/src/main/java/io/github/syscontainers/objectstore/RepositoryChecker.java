package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fsck} of a repository: every object reachable from a ref is re-hashed (metadata objects are also decoded),
 * and each problem names the object and a ref that reaches it. Repair removes corrupt objects and the refs that
 * reach them, then whatever no ref reaches any more, so the repository passes {@code ostree fsck} again and the
 * next pull fetches those layers again (install re-pulls an image whose layers went).
 */
public final class RepositoryChecker {
  private final OstreeRepository repo;

  public RepositoryChecker(OstreeRepository repo) {
    this.repo = repo;
  }

  /** One corrupt or missing object. */
  public record Problem(ObjectId object, ObjectType type, String ref, String detail) {
    /** Returns a one-line description. */
    public String describe() {
      return "Corrupted or missing object " + object + "." + type.extension() + " (reached by " + ref + "): " + detail;
    }
  }

  /** What a check found; {@code removedRefs} is filled by a repair. */
  public record Report(long objectsChecked, List<Problem> problems, List<String> removedRefs) {}

  /** Checks every reachable object, under the shared lock. */
  public Report check() throws ObjectStoreException {
    try (RepoLock lock = repo.lockShared()) {
      return scan();
    }
  }

  /** Checks, then removes corrupt objects and the refs that reach them, under the exclusive lock. */
  public Report repair() throws ObjectStoreException {
    try (RepoLock lock = repo.lockExclusive()) {
      Report r = scan();
      if (r.problems().isEmpty()) {
        return r;
      }
      Set<Reachability.Key> bad = new HashSet<>();
      for (Problem p : r.problems()) {
        bad.add(new Reachability.Key(p.object(), p.type()));
      }
      List<String> refs = new ArrayList<>(Reachability.refsReaching(repo, bad));
      for (String ref : refs) {
        repo.deleteRef(ref);
      }
      for (Reachability.Key k : bad) {
        Files.deleteIfExists(repo.objectPath(k.id(), k.type()));
      }
      // the commits of the removed refs still name the bad objects: drop everything no ref reaches now
      new Pruner(repo).pruneUnreachable();
      return new Report(r.objectsChecked(), r.problems(), refs);
    } catch (IOException e) {
      throw e instanceof ObjectStoreException
          ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to repair " + repo.path() + " but failed: " + e.getMessage(), e);
    }
  }

  private Report scan() throws ObjectStoreException {
    Reachability reach = new Reachability(repo).walkAll();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<Reachability.Key, String> b : reach.broken().entrySet()) {
      problems.add(new Problem(b.getKey().id(), b.getKey().type(), reach.reached().get(b.getKey()), b.getValue()));
    }
    long checked = 0;
    for (Map.Entry<Reachability.Key, String> e : reach.reached().entrySet()) {
      Reachability.Key k = e.getKey();
      if (k.type() == ObjectType.FILE) {
        checked++;
        checkContent(k.id(), e.getValue(), problems);
      } else {
        checked++;
        if (!reach.broken().containsKey(k) && k.type() == ObjectType.DIR_META) {
          try {
            repo.readDirMeta(k.id());
          } catch (ObjectStoreException ex) {
            problems.add(new Problem(k.id(), k.type(), e.getValue(), ex.getMessage()));
          }
        }
      }
    }
    return new Report(checked, problems, List.of());
  }

  /** Recomputes a content object's checksum from what is stored. */
  public static ObjectId recompute(OstreeRepository repo, ContentObject obj) throws IOException {
    return ContentHasher.checksum(repo, obj);
  }

  private void checkContent(ObjectId id, String ref, List<Problem> problems) {
    Path p = repo.objectPath(id, ObjectType.FILE);
    try {
      ContentObject obj = repo.loadContent(id);
      ObjectId actual = ContentHasher.checksum(repo, obj);
      if (!actual.equals(id)) {
        problems.add(new Problem(id, ObjectType.FILE, ref, "checksum expected " + id + " actual " + actual));
      }
    } catch (IOException e) {
      problems.add(new Problem(id, ObjectType.FILE, ref, e.getMessage() + " (" + p + ")"));
    }
  }
}
