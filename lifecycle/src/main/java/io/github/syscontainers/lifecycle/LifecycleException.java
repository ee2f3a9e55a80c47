package io.github.syscontainers.lifecycle;

/**
 * A failure of an install, update, rollback or uninstall, with a message that says what was tried, what was found
 * and what to do. The CLI prints the message on one line and exits with {@link #exitCode()}.
 */
public class LifecycleException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public LifecycleException(String message) {
    this(message, null, 1);
  }

  public LifecycleException(String message, Throwable cause) {
    this(message, cause, 1);
  }

  public LifecycleException(String message, Throwable cause, int exitCode) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Returns the exit status the CLI should use. */
  public int exitCode() {
    return exitCode;
  }
}
