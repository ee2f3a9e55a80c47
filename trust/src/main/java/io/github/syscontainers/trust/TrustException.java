package io.github.syscontainers.trust;

/**
 * The root of every failure of image trust: a policy that cannot be read, a signature source that cannot be reached,
 * an image the policy refuses. The message says what was tried, what was found and what to do.
 */
public class TrustException extends Exception {
  private static final long serialVersionUID = 1L;

  public TrustException(String message) {
    super(message);
  }

  public TrustException(String message, Throwable cause) {
    super(message, cause);
  }
}
