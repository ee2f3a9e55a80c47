package io.github.syscontainers.unitgen;

/**
 * The root of every failure to turn an image's templates into files: a placeholder without a value, invalid JSON
 * after substitution, a config that is not read-only. Messages keep atomic's wording where scripts grep for it.
 */
public class UnitGenException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnitGenException(String message) {
    super(message);
  }

  public UnitGenException(String message, Throwable cause) {
    super(message, cause);
  }
}
