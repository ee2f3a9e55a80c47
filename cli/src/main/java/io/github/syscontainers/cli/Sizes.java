package io.github.syscontainers.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Formats sizes as atomic's {@code convert_size}: powers of 1000, two decimals at most, empty for zero. */
final class Sizes {
  private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

  private Sizes() {}

  static String convert(long size) {
    if (size <= 0) {
      return "";
    }
    int i = (int) Math.floor(Math.log(size) / Math.log(1000));
    i = Math.min(i, UNITS.length - 1);
    BigDecimal v = BigDecimal.valueOf(size).divide(BigDecimal.valueOf(1000).pow(i), 2, RoundingMode.HALF_EVEN);
    return v.stripTrailingZeros().toPlainString() + " " + UNITS[i];
  }
}
