package io.github.syscontainers.objectstore;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SHA-256 name of an OSTree object, as 64 lower-case hex characters.
 *
 * <p>Immutable and thread-safe.
 */
public record ObjectId(String hex) implements Comparable<ObjectId> {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public ObjectId {
    Objects.requireNonNull(hex, "hex");
    if (!HEX64.matcher(hex).matches()) {
      throw new IllegalArgumentException("Invalid OSTree checksum '" + hex + "': expected 64 lower-case hex characters");
    }
  }

  /** Returns the id for 32 raw checksum bytes. */
  public static ObjectId of(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("Invalid checksum of length " + raw.length + " expected 32");
    }
    return new ObjectId(HexFormat.of().formatHex(raw));
  }

  /** Returns true when {@code text} is 64 lower-case hex characters. */
  public static boolean isValid(String text) {
    return HEX64.matcher(text).matches();
  }

  /** Returns the 32 raw bytes. */
  public byte[] toBytes() {
    return HexFormat.of().parseHex(hex);
  }

  @Override
  public int compareTo(ObjectId o) {
    return hex.compareTo(o.hex);
  }

  @Override
  public String toString() {
    return hex;
  }
}
