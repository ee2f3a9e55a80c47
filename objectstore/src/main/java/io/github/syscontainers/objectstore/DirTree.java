package io.github.syscontainers.objectstore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * An OSTree directory listing: files as (name, content object) and subdirectories as (name, dirtree, dirmeta), each
 * list sorted by the raw UTF-8 bytes of the names, as OSTree's binary search requires.
 *
 * <p>Immutable and thread-safe.
 */
public record DirTree(List<FileEntry> files, List<DirEntry> dirs) {

  /** Orders names by their raw UTF-8 bytes ({@code strcmp}). */
  public static final Comparator<String> NAME_ORDER = DirTree::compareNames;

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
    files = sorted(files, FileEntry::name);
    dirs = sorted(dirs, DirEntry::name);
  }

  /** The entries in {@link #NAME_ORDER}; a list read from a repository is in order already, and is only checked. */
  private static <T> List<T> sorted(List<T> entries, Function<T, String> name) {
    List<T> list = List.copyOf(entries);
    for (int i = 1; i < list.size(); i++) {
      if (compareNames(name.apply(list.get(i - 1)), name.apply(list.get(i))) > 0) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing(name, NAME_ORDER));
        return List.copyOf(copy);
      }
    }
    return list;
  }

  /**
   * Compares two names as their UTF-8 bytes compare, without encoding them when they first differ in characters
   * below the surrogates: UTF-8 orders those as their values do, and the equal characters before encode alike.
   */
  static int compareNames(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return x < Character.MIN_SURROGATE && y < Character.MIN_SURROGATE ? x - y : compareBytes(a, b);
      }
    }
    // one a prefix of the other: its bytes are a prefix too, or end in the '?' a lone surrogate encodes to where
    // the other's pair encodes to 0xF0 and more: shorter first either way
    return a.length() - b.length();
  }

  private static int compareBytes(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
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
