package io.github.syscontainers.lifecycle;

/** Receives the notices of a lifecycle operation; the CLI renders them. Implementations must be thread-safe. */
@FunctionalInterface
public interface NoticeListener {
  void notice(Notice notice);

  /** A listener that drops everything. */
  NoticeListener NONE = n -> {};
}
