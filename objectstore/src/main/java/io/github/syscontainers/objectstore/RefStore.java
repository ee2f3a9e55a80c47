package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local refs of a repository, under {@code refs/heads}: one file per ref holding the commit checksum and a
 * newline. Written to a temporary file and renamed over the ref under the repository lock; alias refs (symlinks)
 * are followed on read.
 *
 * <p>Thread-safe.
 */
final class RefStore {
  private static final Pattern REF =
      Pattern.compile("[\\w\\d][-._\\w\\d]*(?:/[\\w\\d][-._\\w\\d]*)*", Pattern.UNICODE_CHARACTER_CLASS);

  private final Path repo;
  private final Path heads;
  private final boolean fsync;

  RefStore(Path repo, boolean fsync) {
    this.repo = repo;
    this.heads = repo.resolve("refs/heads");
    this.fsync = fsync;
  }

  static void validate(String ref) {
    if (ref.length() > 1024 || !REF.matcher(ref).matches()) {
      throw new IllegalArgumentException("Invalid ref name '" + ref + "'");
    }
  }

  Optional<ObjectId> resolve(String ref) throws ObjectStoreException {
    validate(ref);
    Path file = heads.resolve(ref);
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (!ObjectId.isValid(text)) {
        throw new ObjectStoreException(
            "Ref " + ref + " in " + repo + " holds '" + text + "', not a checksum; delete " + file + " and pull again");
      }
      return Optional.of(new ObjectId(text));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (Files.isDirectory(file)) {
        return Optional.empty();
      }
      throw new ObjectStoreException("Tried to read ref " + ref + " in " + repo + " but failed: " + e, e);
    }
  }

  void set(String ref, ObjectId commit) throws ObjectStoreException {
    validate(ref);
    Path target = heads.resolve(ref);
    Path tmp = repo.resolve("tmp").resolve("ref-" + UUID.randomUUID());
    try (RepoLock lock = RepoLock.shared(repo)) {
      Files.createDirectories(target.getParent());
      Files.writeString(tmp, commit.hex() + "\n", StandardCharsets.US_ASCII);
      if (fsync) {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw e instanceof ObjectStoreException
          ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to set ref " + ref + " in " + repo + " but failed: " + e, e);
    }
  }

  boolean delete(String ref) throws ObjectStoreException {
    validate(ref);
    try (RepoLock lock = RepoLock.shared(repo)) {
      return Files.deleteIfExists(heads.resolve(ref));
    } catch (IOException e) {
      throw e instanceof ObjectStoreException
          ? (ObjectStoreException) e
          : new ObjectStoreException("Tried to delete ref " + ref + " in " + repo + " but failed: " + e, e);
    }
  }

  SortedMap<String, ObjectId> list(String prefix) throws ObjectStoreException {
    SortedMap<String, ObjectId> out = new TreeMap<>();
    if (!Files.isDirectory(heads)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(heads)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(p)) {
          continue;
        }
        String name = heads.relativize(p).toString();
        if (name.startsWith(prefix)) {
          try {
            resolve(name).ifPresent(id -> out.put(name, id));
          } catch (IllegalArgumentException e) {
            // a file that is not a valid ref name is not a ref; ostree ignores it too
          }
        }
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Tried to list refs in " + heads + " but failed: " + e, e);
    }
    return out;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover temp file is cleaned by the next prune
    }
  }
}
