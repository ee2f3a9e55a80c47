package io.github.syscontainers.objectstore;

import java.io.IOException;

/**
 * The root of every failure of the object store: a repository that cannot be opened, a corrupt or missing object, a
 * layer that cannot be imported. The message says what was tried, what was found and what to do.
 */
public class ObjectStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  public ObjectStoreException(String message) {
    super(message);
  }

  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
