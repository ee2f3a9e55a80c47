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

  /** The xattrs of a name-to-value map, as the platform's calls give and take them. */
  public static List<Xattr> of(java.util.Map<String, byte[]> map) {
    return map.entrySet().stream().map(e -> new Xattr(e.getKey(), e.getValue())).toList();
  }

  /** {@code xattrs} as a name-to-value map, in their order. */
  public static java.util.Map<String, byte[]> toMap(List<Xattr> xattrs) {
    java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    for (Xattr x : xattrs) {
      out.put(x.name(), x.value());
    }
    return out;
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
