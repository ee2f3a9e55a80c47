package io.github.syscontainers.registry;

import java.io.IOException;
import java.io.InputStream;

/** Takes the bytes of each range of a blob asked for ({@link ImageSource#fetchRanges}), one range at a time. */
@FunctionalInterface
public interface RangeReceiver {
  /**
   * The bytes of {@code range}: exactly its length, not verified (the caller knows each range's digest). What is
   * left unread is skipped.
   */
  void accept(ByteRange range, InputStream bytes) throws IOException;
}
