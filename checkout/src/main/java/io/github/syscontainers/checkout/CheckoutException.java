package io.github.syscontainers.checkout;

import java.io.IOException;

/** The root of every checkout and deployment failure; the message says what was tried and what to do. */
public class CheckoutException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckoutException(String message) {
    super(message);
  }

  public CheckoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
