package io.github.syscontainers.registry;

import java.time.Duration;

/**
 * How hard a registry pull tries before it gives up.
 *
 * @param attempts requests per call, the first included: network errors, 408, 429 and 5xx are retried
 * @param backoff the first wait between attempts; it doubles each time, with jitter
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a registry that asks for more fails the pull
 * @param resumes how often one blob may be resumed with {@code Range} after its body broke off or stalled
 * @param lowSpeedBytesPerSecond a body slower than this on average over {@code lowSpeedWindow} is dropped and
 *     resumed, as curl's {@code --speed-limit}
 * @param lowSpeedWindow the window of the low-speed limit, as curl's {@code --speed-time}
 * @param deadline the longest one request waits for its response headers, all its attempts together; a registry
 *     that takes the connection and never answers is given up on then, not after every attempt's read timeout
 */
public record RetryPolicy(
    int attempts,
    Duration backoff,
    Duration maxRetryAfter,
    int resumes,
    long lowSpeedBytesPerSecond,
    Duration lowSpeedWindow,
    Duration deadline) {
  /** The deadline of a request unless one is set: two minutes. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);

  /** 5 attempts from 250 ms, Retry-After up to 60 s, 5 resumes, 1 KiB/s over 30 s, 2 minutes per request. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(250), Duration.ofSeconds(60), 5, 1024, Duration.ofSeconds(30));

  public RetryPolicy {
    if (attempts < 1 || resumes < 0 || lowSpeedBytesPerSecond < 0 || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException(
          "attempts must be at least 1, resumes and the speed limit not negative, the deadline positive");
    }
  }

  /** A policy with the default deadline. */
  public RetryPolicy(
      int attempts, Duration backoff, Duration maxRetryAfter, int resumes, long lowSpeedBytesPerSecond,
      Duration lowSpeedWindow) {
    this(attempts, backoff, maxRetryAfter, resumes, lowSpeedBytesPerSecond, lowSpeedWindow, DEFAULT_DEADLINE);
  }

  /** This policy with another deadline per request. */
  public RetryPolicy withDeadline(Duration d) {
    return new RetryPolicy(attempts, backoff, maxRetryAfter, resumes, lowSpeedBytesPerSecond, lowSpeedWindow, d);
  }
}
