package io.github.syscontainers.registry;

/** Receives {@link TransferEvent}s; implementations must be thread-safe and quick. */
@FunctionalInterface
public interface TransferListener {
  /** Ignores every event. */
  TransferListener NONE = e -> {};

  void on(TransferEvent event);
}
