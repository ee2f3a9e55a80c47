package io.github.syscontainers.platform;

import java.util.Map;

/** The words the C library has for the errno values a store's writes meet, for messages (strerror's, glibc's). */
final class Errno {
  private static final Map<Integer, String> TEXT =
      Map.ofEntries(
          Map.entry(1, "Operation not permitted"),
          Map.entry(2, "No such file or directory"),
          Map.entry(5, "Input/output error"),
          Map.entry(9, "Bad file descriptor"),
          Map.entry(12, "Cannot allocate memory"),
          Map.entry(13, "Permission denied"),
          Map.entry(17, "File exists"),
          Map.entry(18, "Invalid cross-device link"),
          Map.entry(20, "Not a directory"),
          Map.entry(21, "Is a directory"),
          Map.entry(22, "Invalid argument"),
          Map.entry(24, "Too many open files"),
          Map.entry(27, "File too large"),
          Map.entry(28, "No space left on device"),
          Map.entry(30, "Read-only file system"),
          Map.entry(31, "Too many links"),
          Map.entry(36, "File name too long"),
          Map.entry(61, "No data available"),
          Map.entry(95, "Operation not supported"),
          Map.entry(122, "Disk quota exceeded"));

  private Errno() {}

  /** {@code errno 28: No space left on device}, or the bare number for a value not listed. */
  static String describe(int errno) {
    String text = TEXT.get(errno);
    return "errno " + errno + (text == null ? "" : ": " + text);
  }
}
