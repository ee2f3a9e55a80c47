package io.github.syscontainers.objectstore;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people write them in flags and config files: {@code 8G}, {@code 8GiB}, {@code 512M}, {@code 100k},
 * {@code 1T} or a plain byte count. Units are binary (a {@code G} is 2<sup>30</sup> bytes), as {@code du} and
 * {@code df -h} count.
 */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgtp]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);
  private static final String UNITS = "kmgtp";

  private ByteSize() {}

  /**
   * Parses a size.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Invalid size '" + text + "': write a number of bytes, or one with a unit such as 512M, 8G or 1T");
    }
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int shift = unit.isEmpty() ? 0 : 10 * (UNITS.indexOf(unit) + 1);
    try {
      long n = Long.parseLong(m.group(1));
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid size '" + text + "': too large", e);
    }
  }

  /** Formats a size in the largest binary unit that divides it, or in bytes: {@code 8 GiB}, {@code 1000 bytes}. */
  public static String format(long bytes) {
    for (int i = UNITS.length(); i > 0; i--) {
      long unit = 1L << (10 * i);
      if (bytes >= unit && bytes % unit == 0) {
        return bytes / unit + " " + Character.toUpperCase(UNITS.charAt(i - 1)) + "iB";
      }
    }
    return bytes + " bytes";
  }
}
