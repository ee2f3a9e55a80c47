package io.github.syscontainers.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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

  /** Returns a new SHA-256 {@link MessageDigest}. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no SHA-256", e);
    }
  }

  /** Returns a new {@link MessageDigest} for this digest's algorithm. */
  public MessageDigest newMessageDigest() {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
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

  /** Returns {@code algorithm:hex}. */
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
