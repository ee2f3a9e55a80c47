package io.github.syscontainers.registry;

import java.io.IOException;

/**
 * The root of every failure to read an image from a source: a registry, an OCI layout, an archive. The message says
 * what was tried, what was found and what to do.
 */
public class RegistryException extends IOException {
  private static final long serialVersionUID = 1L;

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
