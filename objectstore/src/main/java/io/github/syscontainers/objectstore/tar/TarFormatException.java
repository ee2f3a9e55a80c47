package io.github.syscontainers.objectstore.tar;

import java.io.IOException;

/** A tar stream that is malformed or uses something a layer must not: the message names the entry. */
public final class TarFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public TarFormatException(String message) {
    super(message);
  }
}
