package io.github.syscontainers.api;

import io.github.syscontainers.model.RequestWaiting;
import io.github.syscontainers.model.TransferEvent;

/**
 * What a pull is doing, as it happens: each blob's events (started, bytes so far, resumed, already stored, verified,
 * fetched in part or whole, failed), a source about to be opened, and a registry request that has waited a while.
 * Called from the threads that move the bytes, several blobs at once: implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface Progress {
  /** Ignores everything. */
  Progress NONE = e -> {};

  void on(TransferEvent event);

  /** A source ({@code docker://…}, {@code oci-archive:…}) is about to be opened, before any request or read. */
  default void opening(String source) {}

  /**
   * A TLS connection to the registry {@code host} is about to be made, before its handshake (which chooses the
   * cipher the connection keeps); not called for a registry reached in plain HTTP.
   */
  default void securing(String host) {}

  /**
   * The pull is about to fetch layers of {@code bytes} bytes in all (their compressed sizes, what the store lacks),
   * after the manifest and config, before the first layer; not called when every layer is stored.
   */
  default void fetching(long bytes) {}

  /** A registry request has had no answer for a while ({@link RequestWaiting#describe()} says it in one line). */
  default void waiting(RequestWaiting waiting) {}
}
