package io.github.syscontainers.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Resolves an image config's {@code User} ({@code uid}, {@code uid:gid}, {@code name}, {@code name:group}) to
 * numeric ids, looking names up in the image's own {@code /etc/passwd} and {@code /etc/group} (never the host's,
 * and without following a symlink out of the rootfs).
 */
final class ImageUser {
  /** The resolved ids; empty when not given or not found. */
  record Ids(OptionalInt uid, OptionalInt gid) {}

  private ImageUser() {}

  static Ids resolve(String user, Path rootfs) {
    if (user.isEmpty()) {
      return new Ids(OptionalInt.empty(), OptionalInt.empty());
    }
    String[] parts = user.split(":", 2);
    OptionalInt uid = id(parts[0], rootfs.resolve("etc/passwd"), 2);
    OptionalInt gid =
        parts.length == 2 ? id(parts[1], rootfs.resolve("etc/group"), 2) : primaryGroup(parts[0], rootfs);
    return new Ids(uid, gid);
  }

  private static OptionalInt primaryGroup(String user, Path rootfs) {
    for (String[] f : entries(rootfs.resolve("etc/passwd"))) {
      if (f.length > 3 && (f[0].equals(user) || f[2].equals(user))) {
        return parse(f[3]);
      }
    }
    return OptionalInt.empty();
  }

  private static OptionalInt id(String nameOrId, Path file, int field) {
    OptionalInt numeric = parse(nameOrId);
    if (numeric.isPresent()) {
      return numeric;
    }
    for (String[] f : entries(file)) {
      if (f.length > field && f[0].equals(nameOrId)) {
        return parse(f[field]);
      }
    }
    return OptionalInt.empty();
  }

  private static java.util.List<String[]> entries(Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return java.util.List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(l -> l.split(":")).toList();
    } catch (IOException e) {
      return java.util.List.of();
    }
  }

  private static OptionalInt parse(String s) {
    try {
      int v = Integer.parseInt(s.trim());
      return v >= 0 ? OptionalInt.of(v) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
