package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deletes objects no ref reaches, as {@code ostree prune --refs-only}, under the exclusive repository lock so no
 * import is half-way. Stray temporary files of crashed writers go too. A file that cannot be removed is noted with
 * the reason and the prune goes on with the rest.
 */
public final class Pruner {
  private final OstreeRepository repo;

  public Pruner(OstreeRepository repo) {
    this.repo = repo;
  }

  /**
   * What a prune removed, and what it could not.
   *
   * @param failures one line per file that could not be removed: its path and the reason
   */
  public record Result(long objectsDeleted, long bytesFreed, List<String> failures) {
    public Result {
      failures = List.copyOf(failures);
    }

    /** Nothing removed, nothing failed. */
    public static Result none() {
      return new Result(0, 0, List.of());
    }
  }

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
      List<String> failures = new ArrayList<>();
      try (Stream<Path> dirs = Files.list(repo.path().resolve("objects"))) {
        for (Path dir : (Iterable<Path>) dirs::iterator) {
          try (Stream<Path> objects = Files.list(dir)) {
            for (Path o : (Iterable<Path>) objects::iterator) {
              String name = o.getFileName().toString();
              if (PayloadLinks.isLink(name)) {
                // a payload link stays while its object does, as ostree prune keeps it
                Optional<ObjectId> target = Files.isSymbolicLink(o)
                    ? PayloadLinks.target(Files.readSymbolicLink(o)) : Optional.empty();
                if (target.isPresent() && keep.contains(repo.objectPath(target.get(), ObjectType.FILE).getFileName()
                    .toString())) {
                  continue;
                }
                if (remove(o, failures) >= 0) {
                  deleted++;
                }
              } else if (!keep.contains(name) && isObject(dir, name)) {
                long size = remove(o, failures);
                if (size >= 0) {
                  freed += size;
                  deleted++;
                }
              }
            }
          }
        }
      }
      repo.deleteTemporaryFiles();
      // the bytes interrupted pulls kept for their next run (registry-client's PartialBlobs): a prune forgets them
      Path partials = repo.path().resolve("tmp").resolve("partial-blobs");
      if (Files.isDirectory(partials, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> kept = Files.list(partials)) {
          for (Path k : (Iterable<Path>) kept::iterator) {
            freed += Math.max(0, remove(k, failures));
          }
        }
      }
      return new Result(deleted, freed, failures);
    } catch (IOException e) {
      throw e instanceof ObjectStoreException
          ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to prune " + repo.path() + " but failed: " + e.getMessage(), e);
    }
  }

  /**
   * Removes one file, never following a symlink (an object of a symlink is one, in bare repositories, and its
   * target may be absent or the host's own file); returns its size, or -1 after noting why it could not go.
   */
  private static long remove(Path file, List<String> failures) {
    try {
      long size = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
      Files.delete(file);
      return size;
    } catch (IOException e) {
      String reason = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
          ? ((FileSystemException) e).getReason() : e.toString();
      failures.add(file + ": " + reason);
      return -1;
    }
  }

  private static boolean isObject(Path dir, String name) {
    int dot = name.indexOf('.');
    return dot == 62 && dir.getFileName().toString().length() == 2 && ObjectId.isValid(dir.getFileName() + name.substring(0, dot));
  }
}
