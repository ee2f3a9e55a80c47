package io.github.syscontainers.registry;

/**
 * A span of a blob's bytes, from {@code start} (inclusive) to {@code end} (exclusive).
 *
 * @param start the first byte's offset
 * @param end the offset after the last byte; greater than {@code start}
 */
public record ByteRange(long start, long end) {
  public ByteRange {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("a byte range needs 0 <= start < end, not " + start + "-" + end);
    }
  }

  // equals and hashCode written out, as Digest's: a record's own are bound at their first call through an
  // invokedynamic bootstrap (ranges are map keys of a partial pull)
  @Override
  public boolean equals(Object o) {
    return o instanceof ByteRange other && start == other.start && end == other.end;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(start) * 31 + Long.hashCode(end);
  }

  /** How many bytes it spans. */
  public long length() {
    return end - start;
  }

  /** The value of a {@code Range} header's range: first and last byte, inclusive. */
  String header() {
    return start + "-" + (end - 1);
  }
}
