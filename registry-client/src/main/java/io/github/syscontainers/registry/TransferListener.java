package io.github.syscontainers.registry;

import io.github.syscontainers.model.RequestWaiting;
import io.github.syscontainers.model.TransferEvent;
/** Receives {@link TransferEvent}s; implementations must be thread-safe and quick. */
@FunctionalInterface
public interface TransferListener {
  /** Ignores every event. */
  TransferListener NONE = e -> {};

  void on(TransferEvent event);

  /**
   * A source is about to be opened, before any request, read or digest: called once per {@link ImageSource#open},
   * on the thread that opens it. Nothing by default.
   */
  default void opening(SourceReference ref) {}

  /**
   * A TLS connection to the registry {@code host} is about to be made (its https ping), before its handshake, which
   * chooses the cipher the connection keeps; not called for a registry that is reached in plain HTTP. Nothing by
   * default. The CLI installs its native AES-GCM here, so that no other command makes the JDK load its security
   * providers for it.
   */
  default void securing(String host) {}

  /**
   * The pull is about to fetch layers of {@code bytes} bytes in all (as the manifest gives their sizes: what is not
   * stored yet), after the manifest and the config and before the first layer's byte; not called when every layer is
   * stored. Nothing by default. The CLI loads its native crypto and inflater only when that is worth their start (an
   * image of a few kilobytes from an archive is hashed faster by the JDK than the native library loads).
   */
  default void fetching(long bytes) {}

  /** A registry request has waited a while for its answer ({@link RequestWaiting}); nothing by default. */
  default void waiting(RequestWaiting waiting) {}
}
