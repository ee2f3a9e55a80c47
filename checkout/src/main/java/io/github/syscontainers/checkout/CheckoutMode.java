package io.github.syscontainers.checkout;

/**
 * Whose metadata a checkout applies, as OSTree's checkout modes: {@link #NONE} applies owners, modes (setuid
 * included) and xattrs and needs root; {@link #USER} applies modes only, as ostree's {@code -U}.
 */
public enum CheckoutMode {
  NONE,
  USER;

  /** Returns {@link #NONE} as root, {@link #USER} otherwise. */
  public static CheckoutMode forCurrentUser() {
    return "root".equals(System.getProperty("user.name")) ? NONE : USER;
  }
}
