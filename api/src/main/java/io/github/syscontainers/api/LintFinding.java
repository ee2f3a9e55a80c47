package io.github.syscontainers.api;

/**
 * One finding of {@link SystemContainers#lint()}.
 *
 * @param error an error (the CLI's exit status 1); a warning when false
 * @param location the file (or the directory) it is about
 * @param message what is wrong
 */
public record LintFinding(boolean error, String location, String message) {
  @Override
  public String toString() {
    return location + ": " + message;
  }
}
