package io.github.syscontainers.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes registry requests with retries: network errors (a refused connection, headers that never come), 408,
 * 429 and 5xx are tried again after a jittered, doubling wait, or after the {@code Retry-After} the registry asks
 * for (seconds or an HTTP date) when that is within the policy's limit. A redirect loop fails at once.
 *
 * <p>Thread-safe.
 */
final class RequestRetrier {
  private static final Logger LOG = LoggerFactory.getLogger(RequestRetrier.class);

  private final OkHttpClient http;
  private final RetryPolicy policy;
  private final Clock clock;

  RequestRetrier(OkHttpClient http, RetryPolicy policy, Clock clock) {
    this.http = http;
    this.policy = policy;
    this.clock = clock;
  }

  RetryPolicy policy() {
    return policy;
  }

  /** Executes {@code req}; returns the last response, successful or not, or throws the last network error. */
  Response execute(Request req) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Response r;
      try {
        r = http.newCall(req).execute();
      } catch (RegistryException e) {
        throw e; // our own verdicts (from the authenticator) are final
      } catch (ProtocolException e) {
        if (String.valueOf(e.getMessage()).startsWith("Too many follow-up requests")) {
          throw new RegistryException(
              "The registry " + req.url().host() + " redirected " + req.url().encodedPath() + " more than 20 times;"
                  + " it is misconfigured or hostile, report it to its operator", e);
        }
        if (attempt >= policy.attempts()) {
          throw e;
        }
        pause(backoff(attempt), req, e.toString());
        continue;
      } catch (IOException e) {
        if (attempt >= policy.attempts()) {
          throw e;
        }
        pause(backoff(attempt), req, e.toString());
        continue;
      }
      int c = r.code();
      if (!(c == 408 || c == 429 || c >= 500) || attempt >= policy.attempts()) {
        return r;
      }
      Optional<Duration> asked = retryAfter(r.header("Retry-After"), clock);
      r.close();
      if (asked.isPresent() && asked.get().compareTo(policy.maxRetryAfter()) > 0) {
        throw new RegistryException(
            "The registry " + req.url().host() + " answered HTTP " + c + " and asks to wait "
                + asked.get().toSeconds() + " s before trying again, more than the " + policy.maxRetryAfter().toSeconds()
                + " s this client waits; try again later");
      }
      pause(asked.isPresent() ? asked.get() : backoff(attempt), req, "HTTP " + c);
    }
  }

  /** Parses a {@code Retry-After} value: delta seconds or an HTTP date. */
  static Optional<Duration> retryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      long s = Long.parseLong(v);
      return Optional.of(Duration.ofSeconds(Math.max(0, s)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  private Duration backoff(int attempt) {
    long base = policy.backoff().toMillis() << Math.min(attempt - 1, 10);
    return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2)));
  }

  private static void pause(Duration d, Request req, String why) throws IOException {
    LOG.debug("{} {}: {}; trying again in {} ms", req.method(), req.url(), why, d.toMillis());
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry " + req.url());
    }
  }
}
