package io.github.syscontainers.objectstore.gvariant;

import java.util.Objects;

/**
 * A GVariant {@code v}: a value together with its type string.
 *
 * @param type the value's type string, for example {@code s}
 * @param value the value, in the Java shape {@link GVariant} uses for that type
 */
public record Variant(String type, Object value) {
  public Variant {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  /** Returns a string variant. */
  public static Variant ofString(String s) {
    return new Variant("s", s);
  }

  /** Returns the string value of an {@code s} variant, or empty for any other type. */
  public java.util.Optional<String> asString() {
    return type.equals("s") ? java.util.Optional.of((String) value) : java.util.Optional.empty();
  }
}
