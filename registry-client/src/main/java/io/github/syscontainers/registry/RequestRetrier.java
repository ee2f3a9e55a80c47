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
import okhttp3.Call;
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
  private final TransferListener listener;

  RequestRetrier(OkHttpClient http, RetryPolicy policy, Clock clock, TransferListener listener) {
    this.http = http;
    this.policy = policy;
    this.clock = clock;
    this.listener = listener;
  }

  RetryPolicy policy() {
    return policy;
  }

  /**
   * Executes {@code req}; returns the last response, successful or not, or throws the last network error. While
   * the headers are awaited, the listener hears what is awaited (after a few seconds); past the policy's deadline
   * the request is given up, whatever attempts are left.
   */
  Response execute(Request req) throws IOException {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Response r;
      Call call = http.newCall(req);
      try (ResponseWatch watch = new ResponseWatch(call, start, attempt, policy, listener)) {
        try {
          r = call.execute();
        } catch (IOException e) {
          if (watch.expired()) {
            throw new RegistryException(
                "The registry " + req.url().host() + ":" + req.url().port() + " did not answer the "
                    + req.method() + " of " + ResponseWatch.describe(req) + " within " + policy.deadline().toSeconds()
                    + " s (" + attempt + " attempt" + (attempt > 1 ? "s" : "") + "); check that it is up and reachable,"
                    + " or allow longer with --request-timeout", e);
          }
          throw e;
        }
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
        pause(backoff(attempt), req, e.toString(), start, attempt);
        continue;
      } catch (IOException e) {
        if (attempt >= policy.attempts()) {
          throw e;
        }
        pause(backoff(attempt), req, e.toString(), start, attempt);
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
      pause(asked.isPresent() ? asked.get() : backoff(attempt), req, "HTTP " + c, start, attempt);
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

  /** Waits {@code d} before the next attempt, unless that would pass the request's deadline. */
  private void pause(Duration d, Request req, String why, long start, int attempt) throws IOException {
    if (Duration.ofNanos(System.nanoTime() - start).plus(d).compareTo(policy.deadline()) > 0) {
      throw new RegistryException(
          "The registry " + req.url().host() + ":" + req.url().port() + " gave no usable answer to the "
              + req.method() + " of " + ResponseWatch.describe(req) + " within " + policy.deadline().toSeconds()
              + " s (" + attempt + " attempt" + (attempt > 1 ? "s" : "") + ", the last: " + why + "); try again"
              + " later, or allow longer with --request-timeout");
    }
    LOG.debug("{} {}: {}; trying again in {} ms", req.method(), req.url(), why, d.toMillis());
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry " + req.url());
    }
  }
}
