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
   * on the thread that opens it. Nothing by default. The CLI installs its native crypto provider here, so that a
   * command which finds its image already stored never loads the JDK's security providers.
   */
  default void opening(SourceReference ref) {}

  /** A registry request has waited a while for its answer ({@link RequestWaiting}); nothing by default. */
  default void waiting(RequestWaiting waiting) {}
}
