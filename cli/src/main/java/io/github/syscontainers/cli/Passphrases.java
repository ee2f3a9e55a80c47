package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.LifecycleException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Passphrases of signing keys: the first line of a {@code --passphrase-file}, else asked on the terminal. */
final class Passphrases {
  private Passphrases() {}

  /** The first line of {@code file}, as skopeo reads {@code --passphrase-file}. */
  static char[] fromFile(Path file) throws LifecycleException {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      return (nl >= 0 ? text.substring(0, nl) : text).toCharArray();
    } catch (IOException e) {
      throw new LifecycleException("Cannot read the passphrase file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The passphrase for a new key, asked twice on the terminal.
   *
   * @throws LifecycleException when there is no terminal or the two answers differ
   */
  static char[] askNew(String what) throws LifecycleException {
    Console c = System.console();
    if (c == null) {
      throw new LifecycleException("No terminal to ask the passphrase of " + what + " on; give it with"
          + " --passphrase-file FILE");
    }
    char[] first = c.readPassword("Enter a passphrase for %s: ", what);
    char[] second = c.readPassword("Enter the passphrase again: ");
    if (first == null || second == null || !Arrays.equals(first, second)) {
      throw new LifecycleException("The passphrases do not match; nothing was written");
    }
    Arrays.fill(second, '\0');
    return first;
  }

  /** The passphrase of an existing key: from the file given, else asked on the terminal, else none. */
  static char[] forKey(Path file, String what) throws LifecycleException {
    if (file != null) {
      return fromFile(file);
    }
    Console c = System.console();
    if (c == null) {
      return new char[0];
    }
    char[] p = c.readPassword("Passphrase for %s: ", what);
    return p == null ? new char[0] : p;
  }
}
