package io.github.syscontainers.objectstore.gvariant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parsed GVariant type string, with its alignment and fixed size precomputed. Only the subset OSTree uses is
 * supported: basic types, {@code s o g v}, arrays, maybes, tuples and dict entries.
 *
 * <p>Immutable and thread-safe; parsed types are cached.
 *
 * @see <a href="https://docs.gtk.org/glib/struct.VariantType.html">GVariant type strings</a>
 */
public final class GVariantType {
  private static final String FIXED = "ybnqiuhxtd";
  private static final Map<String, GVariantType> CACHE = new ConcurrentHashMap<>();

  private final String signature;
  private final char kind;
  private final List<GVariantType> children;
  private final int alignment;
  private final int fixedSize;

  private GVariantType(String signature, char kind, List<GVariantType> children) {
    this.signature = signature;
    this.kind = kind;
    this.children = List.copyOf(children);
    this.alignment = computeAlignment();
    this.fixedSize = computeFixedSize();
  }

  /** Parses a complete type string such as {@code (uuua(ayay))}. */
  public static GVariantType of(String signature) {
    Objects.requireNonNull(signature, "signature");
    return CACHE.computeIfAbsent(
        signature,
        s -> {
          int[] pos = {0};
          GVariantType t = parse(s, pos);
          if (pos[0] != s.length()) {
            throw new IllegalArgumentException("Trailing characters in GVariant type '" + s + "'");
          }
          return t;
        });
  }

  private static GVariantType parse(String s, int[] pos) {
    if (pos[0] >= s.length()) {
      throw new IllegalArgumentException("Truncated GVariant type '" + s + "'");
    }
    int start = pos[0];
    char c = s.charAt(pos[0]++);
    if (FIXED.indexOf(c) >= 0 || c == 's' || c == 'o' || c == 'g' || c == 'v') {
      return new GVariantType(String.valueOf(c), c, List.of());
    }
    if (c == 'a' || c == 'm') {
      GVariantType child = parse(s, pos);
      return new GVariantType(s.substring(start, pos[0]), c, List.of(child));
    }
    if (c == '(' || c == '{') {
      char end = c == '(' ? ')' : '}';
      List<GVariantType> members = new ArrayList<>();
      while (pos[0] < s.length() && s.charAt(pos[0]) != end) {
        members.add(parse(s, pos));
      }
      if (pos[0] >= s.length()) {
        throw new IllegalArgumentException("Unterminated container in GVariant type '" + s + "'");
      }
      pos[0]++;
      if (c == '{' && members.size() != 2) {
        throw new IllegalArgumentException("A dict entry needs exactly two members in '" + s + "'");
      }
      return new GVariantType(s.substring(start, pos[0]), c, members);
    }
    throw new IllegalArgumentException("Unsupported GVariant type character '" + c + "' in '" + s + "'");
  }

  private int computeAlignment() {
    switch (kind) {
      case 'y':
      case 'b':
      case 's':
      case 'o':
      case 'g':
        return 1;
      case 'n':
      case 'q':
        return 2;
      case 'i':
      case 'u':
      case 'h':
        return 4;
      case 'x':
      case 't':
      case 'd':
      case 'v':
        return 8;
      case 'a':
      case 'm':
        return children.get(0).alignment;
      default:
        int max = 1;
        for (GVariantType m : children) {
          max = Math.max(max, m.alignment);
        }
        return max;
    }
  }

  private int computeFixedSize() {
    if (FIXED.indexOf(kind) >= 0) {
      return alignment;
    }
    if (kind != '(' && kind != '{') {
      return 0;
    }
    if (children.isEmpty()) {
      return 1;
    }
    int offset = 0;
    for (GVariantType m : children) {
      if (m.fixedSize == 0) {
        return 0;
      }
      offset = align(offset, m.alignment) + m.fixedSize;
    }
    return align(offset, alignment);
  }

  static int align(int offset, int alignment) {
    return (offset + alignment - 1) & -alignment;
  }

  /** Returns the type string. */
  public String signature() {
    return signature;
  }

  /** Returns the first character: {@code a}, {@code m}, {@code (}, {@code {} or the basic type. */
  public char kind() {
    return kind;
  }

  /** Returns the element type of an array or maybe, or the members of a tuple or dict entry. */
  public List<GVariantType> children() {
    return children;
  }

  /** Returns the alignment in bytes: 1, 2, 4 or 8. */
  public int alignment() {
    return alignment;
  }

  /** Returns the fixed size in bytes, or 0 for a variable-size type. */
  public int fixedSize() {
    return fixedSize;
  }

  /** Returns true for {@code ay}. */
  boolean isByteArray() {
    return kind == 'a' && children.get(0).kind == 'y';
  }

  @Override
  public String toString() {
    return signature;
  }
}
