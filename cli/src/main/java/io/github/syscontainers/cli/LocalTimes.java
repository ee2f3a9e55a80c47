package io.github.syscontainers.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TimeZone;

/**
 * Times as the CLI prints them, in the host's zone. The offset comes from {@link TimeZone}'s rules (the JDK's tzdb,
 * read directly), not from {@code ZoneId.systemDefault()}: java.time's zone rules first look for providers on the
 * whole class path (a {@code ServiceLoader} pass that opens every jar, about 30 ms of a command's start), which an
 * {@code images list} paid even for an empty store.
 *
 * <p>Thread-safe.
 */
final class LocalTimes {
  private final DateTimeFormatter format;

  /** Times written with {@code pattern} ({@link DateTimeFormatter#ofPattern}). */
  LocalTimes(String pattern) {
    this.format = DateTimeFormatter.ofPattern(pattern);
  }

  /** {@code t} in the host's zone, at the offset the zone has at that instant. */
  String format(Instant t) {
    int offsetSeconds = TimeZone.getDefault().getOffset(t.toEpochMilli()) / 1000;
    return format.withZone(ZoneOffset.ofTotalSeconds(offsetSeconds)).format(t);
  }
}
