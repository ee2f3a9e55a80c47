package io.github.syscontainers.model;

/**
 * What happens to one blob while an image is pulled, for progress displays and logs. Emitted from the threads that
 * move the bytes, possibly several blobs at once.
 */
public sealed interface TransferEvent
    permits TransferEvent.Started, TransferEvent.Progress, TransferEvent.Resumed, TransferEvent.Present,
        TransferEvent.Verified, TransferEvent.Failed, TransferEvent.Partial, TransferEvent.Whole {

  /** The blob the event is about. */
  Descriptor blob();

  /** Fetching began. */
  record Started(Descriptor blob) implements TransferEvent {}

  /** {@code bytes} of the blob have arrived so far. */
  record Progress(Descriptor blob, long bytes) implements TransferEvent {}

  /** The transfer broke off or stalled and goes on from {@code offset}; {@code reason} says why and where. */
  record Resumed(Descriptor blob, long offset, String reason) implements TransferEvent {}

  /** The blob was already stored; nothing was fetched. */
  record Present(Descriptor blob) implements TransferEvent {}

  /** The blob arrived whole, its digest checked, and it is stored. */
  record Verified(Descriptor blob) implements TransferEvent {}

  /** The blob could not be fetched or stored. */
  record Failed(Descriptor blob, String message) implements TransferEvent {}

  /**
   * A layer pulled in part: only the files the store lacked were fetched ({@code fetched} bytes, table of contents
   * and tar-split record included), the rest taken from the store; its tar rebuilt and its DiffID checked.
   */
  record Partial(Descriptor blob, long fetched, int filesFetched, int filesReused) implements TransferEvent {}

  /** A layer that could have been pulled in part is fetched whole; {@code reason} says why. */
  record Whole(Descriptor blob, String reason) implements TransferEvent {}
}
