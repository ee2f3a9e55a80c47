package io.github.syscontainers.objectstore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One extended attribute: a name such as {@code security.capability} and its raw value.
 *
 * <p>Immutable and thread-safe.
 */
public record Xattr(String name, byte[] value) {
  /** Orders xattrs as OSTree does: by the raw UTF-8 bytes of the name. */
  public static final Comparator<Xattr> BY_NAME =
      (a, b) -> Arrays.compareUnsigned(a.name.getBytes(StandardCharsets.UTF_8), b.name.getBytes(StandardCharsets.UTF_8));

  public Xattr {
    Objects.requireNonNull(name, "name");
    value = value.clone();
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Invalid xattr name '" + name + "'");
    }
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Returns the xattrs sorted by name, as OSTree requires. */
  public static List<Xattr> sorted(List<Xattr> xattrs) {
    return xattrs.stream().sorted(BY_NAME).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Xattr && ((Xattr) o).name.equals(name) && Arrays.equals(((Xattr) o).value, value);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return name + "=" + new String(value, StandardCharsets.ISO_8859_1);
  }
}
