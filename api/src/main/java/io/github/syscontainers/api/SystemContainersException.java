package io.github.syscontainers.api;

import java.util.Optional;

/**
 * Why a call of the facade failed: the verb, the container or image it was about, and the message, which says what
 * was tried, what was found and what to do (the same line the CLI prints). The cause, when there is one, is the
 * exception of the module that failed.
 */
public final class SystemContainersException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String verb;
  private final String subject;
  private final int exitCode;

  SystemContainersException(String verb, String subject, String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.verb = verb;
    this.subject = subject;
    this.exitCode = exitCode;
  }

  /** The call that failed: {@code pull}, {@code install}, {@code update}, {@code rollback}, … */
  public String verb() {
    return verb;
  }

  /** The container or image the call was about, when it names one. */
  public Optional<String> subject() {
    return Optional.ofNullable(subject).filter(s -> !s.isEmpty());
  }

  /** The exit status the CLI gives for the same failure. */
  public int exitCode() {
    return exitCode;
  }
}
