package io.github.syscontainers.lifecycle;

/**
 * A line for the user, emitted by the library and printed by the CLI: atomic's informational texts on stdout
 * ({@link Level#INFO}), warnings on stderr.
 */
public record Notice(Level level, String text) {
  /** Where a notice goes. */
  public enum Level {
    INFO,
    WARNING
  }

  public static Notice info(String text) {
    return new Notice(Level.INFO, text);
  }

  public static Notice warning(String text) {
    return new Notice(Level.WARNING, text);
  }
}
