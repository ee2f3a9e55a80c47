package io.github.syscontainers.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An absolute, normalised Unix path inside an image, such as {@code /usr/bin/env}. It never contains {@code .} or
 * {@code ..} components, so it cannot name anything outside the image root; host paths are
 * {@link java.nio.file.Path}s and are never mixed with these.
 *
 * <p>Immutable and thread-safe.
 */
public record ImagePath(List<String> components) {

  /** The image root, {@code /}. */
  public static final ImagePath ROOT = new ImagePath(List.of());

  public ImagePath {
    components = List.copyOf(components);
    for (String c : components) {
      if (c.isEmpty() || c.equals(".") || c.equals("..") || c.indexOf('/') >= 0 || c.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("Invalid path component '" + c + "'");
      }
    }
  }

  /**
   * Normalises a tar entry name or a path: leading {@code /} and {@code ./} are dropped, empty and {@code .}
   * components skipped. A {@code ..} component is refused rather than clamped, because a layer that contains one is
   * either broken or hostile.
   *
   * @throws IllegalArgumentException naming the input when it has a {@code ..} component or a NUL byte
   */
  public static ImagePath of(String name) {
    Objects.requireNonNull(name, "name");
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Path '" + name.replace('\0', '?') + "' contains a NUL byte");
    }
    List<String> parts = new ArrayList<>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new IllegalArgumentException("Path '" + name + "' has a '..' component that would leave the root");
      }
      parts.add(c);
    }
    return new ImagePath(parts);
  }

  /** Returns true for {@code /}. */
  public boolean isRoot() {
    return components.isEmpty();
  }

  /** Returns the last component; the root has none. */
  public String fileName() {
    if (isRoot()) {
      throw new IllegalStateException("The root has no file name");
    }
    return components.get(components.size() - 1);
  }

  /** Returns the parent directory; the root has none. */
  public ImagePath parent() {
    if (isRoot()) {
      throw new IllegalStateException("The root has no parent");
    }
    return new ImagePath(components.subList(0, components.size() - 1));
  }

  /** Returns this path with {@code child} appended. */
  public ImagePath resolve(String child) {
    List<String> c = new ArrayList<>(components);
    c.add(child);
    return new ImagePath(c);
  }

  @Override
  public String toString() {
    return "/" + String.join("/", components);
  }
}
