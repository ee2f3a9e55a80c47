package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deletes objects no ref reaches, as {@code ostree prune --refs-only}, under the exclusive repository lock so no
 * import is half-way. Stray temporary files of crashed writers go too.
 */
public final class Pruner {
  private final OstreeRepository repo;

  public Pruner(OstreeRepository repo) {
    this.repo = repo;
  }

  /** What a prune removed. */
  public record Result(long objectsDeleted, long bytesFreed) {}

  public Result pruneUnreachable() throws ObjectStoreException {
    try (RepoLock lock = repo.lockExclusive()) {
      Reachability reach = new Reachability(repo).walkAll();
      Set<String> keep = new HashSet<>();
      for (Reachability.Key k : reach.reached().keySet()) {
        keep.add(repo.objectPath(k.id(), k.type()).getFileName().toString());
        if (k.type() == ObjectType.COMMIT) {
          keep.add(k.id().hex().substring(2) + ".commitmeta");
        }
      }
      long deleted = 0;
      long freed = 0;
      try (Stream<Path> dirs = Files.list(repo.path().resolve("objects"))) {
        for (Path dir : (Iterable<Path>) dirs::iterator) {
          try (Stream<Path> objects = Files.list(dir)) {
            for (Path o : (Iterable<Path>) objects::iterator) {
              String name = o.getFileName().toString();
              if (!keep.contains(name) && isObject(dir, name)) {
                freed += Files.size(o);
                Files.delete(o);
                deleted++;
              }
            }
          }
        }
      }
      repo.deleteTemporaryFiles();
      // the bytes interrupted pulls kept for their next run (registry-client's PartialBlobs): a prune forgets them
      Path partials = repo.path().resolve("tmp").resolve("partial-blobs");
      if (Files.isDirectory(partials)) {
        try (Stream<Path> kept = Files.list(partials)) {
          for (Path k : (Iterable<Path>) kept::iterator) {
            freed += Files.size(k);
            Files.delete(k);
          }
        }
      }
      return new Result(deleted, freed);
    } catch (IOException e) {
      throw e instanceof ObjectStoreException
          ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to prune " + repo.path() + " but failed: " + e.getMessage(), e);
    }
  }

  private static boolean isObject(Path dir, String name) {
    int dot = name.indexOf('.');
    return dot == 62 && dir.getFileName().toString().length() == 2 && ObjectId.isValid(dir.getFileName() + name.substring(0, dot));
  }
}
