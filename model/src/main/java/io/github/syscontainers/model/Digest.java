package io.github.syscontainers.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A content digest such as {@code sha256:0123…}. Only {@code sha256} and {@code sha512} are accepted, and the hex
 * part must have exactly the length of the algorithm's output in lower case, so a digest can be used as a file name
 * without further checks.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">OCI digests</a>
 */
public record Digest(String algorithm, String hex) {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final AtomicReference<@Nullable Provider> PREFERRED_SHA256 = new AtomicReference<>();

  /** Validates the algorithm and the hex form. */
  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    int expected = hexLength(algorithm);
    if (expected < 0) {
      throw new IllegalArgumentException(
          "Unsupported digest algorithm '" + algorithm + "' (expected sha256 or sha512)");
    }
    if (hex.length() != expected || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "Invalid " + algorithm + " digest '" + hex + "': expected " + expected + " lower-case hex characters");
    }
  }

  /** Parses {@code algorithm:hex}, throwing {@link IllegalArgumentException} that quotes the input. */
  public static Digest parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("Invalid digest '" + text + "': expected ALGORITHM:HEX");
    }
    try {
      return new Digest(text.substring(0, colon), text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid digest '" + text + "': " + e.getMessage(), e);
    }
  }

  /** Parses {@code algorithm:hex}, or returns empty when the text is not a valid digest. */
  public static Optional<Digest> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Returns the sha256 digest of the given 32 raw bytes. */
  public static Digest sha256(byte[] raw) {
    return new Digest("sha256", HexFormat.of().formatHex(raw));
  }

  /** Returns the sha256 digest of {@code data}. */
  public static Digest sha256Of(byte[] data) {
    return sha256(newSha256().digest(data));
  }

  /**
   * Has {@link #newSha256()} ask {@code provider} before the JVM's provider list (the CLI gives the platform's
   * native one, which loads at its first digest), without putting it in the list: that makes the JDK load every
   * provider it lists. When {@code provider} has no SHA-256 (its native code could not load), the list serves from
   * then on. Null: the list alone.
   */
  public static void preferSha256(@Nullable Provider provider) {
    PREFERRED_SHA256.set(provider);
  }

  /** Returns a new SHA-256 {@link MessageDigest}: the preferred provider's ({@link #preferSha256}), else the JVM's. */
  public static MessageDigest newSha256() {
    Provider p = PREFERRED_SHA256.get();
    if (p != null) {
      try {
        return MessageDigest.getInstance("SHA-256", p);
      } catch (NoSuchAlgorithmException e) {
        PREFERRED_SHA256.compareAndSet(p, null); // it cannot serve: the list does from now on
      }
    }
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no SHA-256", e);
    }
  }

  /** Returns a new {@link MessageDigest} for this digest's algorithm. */
  public MessageDigest newMessageDigest() {
    if (algorithm.equals("sha256")) {
      return newSha256();
    }
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no " + algorithm, e);
    }
  }

  /** Returns true when {@code raw} is the output of this digest's algorithm that this digest names. */
  public boolean matches(byte[] raw) {
    return HexFormat.of().formatHex(raw).equals(hex);
  }

  private static int hexLength(String algorithm) {
    switch (algorithm) {
      case "sha256":
        return 64;
      case "sha512":
        return 128;
      default:
        return -1;
    }
  }

  // equals and hashCode written out, as ObjectId's: a record's own are bound at their first call through an
  // invokedynamic bootstrap (3-5 ms of an install's or a copy's start; digests are the first record keys they hash)
  @Override
  public boolean equals(Object o) {
    return o instanceof Digest other && hex.equals(other.hex) && algorithm.equals(other.algorithm);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + hex.hashCode();
  }

  /** Returns {@code algorithm:hex}. */
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
