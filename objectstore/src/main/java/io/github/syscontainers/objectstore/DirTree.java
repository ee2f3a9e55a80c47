package io.github.syscontainers.objectstore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An OSTree directory listing: files as (name, content object) and subdirectories as (name, dirtree, dirmeta), each
 * list sorted by the raw UTF-8 bytes of the names, as OSTree's binary search requires.
 *
 * <p>Immutable and thread-safe.
 */
public record DirTree(List<FileEntry> files, List<DirEntry> dirs) {

  /** Orders names by their raw UTF-8 bytes ({@code strcmp}). */
  public static final Comparator<String> NAME_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  /** The empty directory. */
  public static final DirTree EMPTY = new DirTree(List.of(), List.of());

  /** A regular file or symlink in a directory. */
  public record FileEntry(String name, ObjectId checksum) {
    public FileEntry {
      validateName(name);
      Objects.requireNonNull(checksum, "checksum");
    }
  }

  /** A subdirectory. */
  public record DirEntry(String name, ObjectId tree, ObjectId meta) {
    public DirEntry {
      validateName(name);
      Objects.requireNonNull(tree, "tree");
      Objects.requireNonNull(meta, "meta");
    }
  }

  public DirTree {
    files = files.stream().sorted(Comparator.comparing(FileEntry::name, NAME_ORDER)).toList();
    dirs = dirs.stream().sorted(Comparator.comparing(DirEntry::name, NAME_ORDER)).toList();
  }

  /** Returns the file entry with the given name. */
  public Optional<FileEntry> file(String name) {
    return files.stream().filter(f -> f.name.equals(name)).findFirst();
  }

  /** Returns the directory entry with the given name. */
  public Optional<DirEntry> dir(String name) {
    return dirs.stream().filter(d -> d.name.equals(name)).findFirst();
  }

  /** Checks a name as {@code ot_util_filename_validate} does: not empty, not {@code .} or {@code ..}, no slash. */
  public static void validateName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Invalid file name '" + name + "' in a directory tree");
    }
  }
}
