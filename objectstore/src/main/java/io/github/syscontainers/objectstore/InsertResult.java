package io.github.syscontainers.objectstore;

/** What writing an object did: stored it, or found it already there. */
public enum InsertResult {
  INSERTED,
  ALREADY_PRESENT
}
