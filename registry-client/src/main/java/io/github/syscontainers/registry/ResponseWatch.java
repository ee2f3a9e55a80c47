package io.github.syscontainers.registry;

import io.github.syscontainers.model.RequestWaiting;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Request;

/**
 * Watches a call while it waits for its response headers: says what it waits for after {@value #FIRST_NOTICE_S} s
 * and then every {@value #EVERY_S} s, and cancels it when the request's deadline has passed. The body that follows
 * the headers is not watched (a blob may take long; the read timeout and the low-speed limit look after it).
 *
 * <p>Thread-safe; one scheduler thread serves every watch.
 */
final class ResponseWatch implements AutoCloseable {
  static final long FIRST_NOTICE_S = 5;
  static final long EVERY_S = 10;

  private static final class Scheduler {
    static final ScheduledExecutorService INSTANCE =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-watch");
              t.setDaemon(true);
              return t;
            });
  }

  private final ScheduledFuture<?> task;
  private final AtomicBoolean expired = new AtomicBoolean();

  /**
   * Starts watching {@code call}, attempt {@code attempt} of a request first sent at {@code startNanos}.
   *
   * @param policy gives the deadline and the number of attempts
   */
  ResponseWatch(Call call, long startNanos, int attempt, RetryPolicy policy, TransferListener listener) {
    Request req = call.request();
    String registry = req.url().host() + (req.url().port() == defaultPort(req) ? "" : ":" + req.url().port());
    String what = req.method() + " of " + describe(req);
    Runnable tick =
        () -> {
          Duration waited = Duration.ofNanos(System.nanoTime() - startNanos);
          if (waited.compareTo(policy.deadline()) >= 0) {
            expired.set(true);
            call.cancel();
            return;
          }
          listener.waiting(new RequestWaiting(registry, what, waited, attempt, policy.attempts(), policy.deadline()));
        };
    long sinceStart = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    long first = Math.max(0, TimeUnit.SECONDS.toMillis(FIRST_NOTICE_S) - sinceStart);
    long toDeadline = Math.max(0, policy.deadline().toMillis() - sinceStart);
    this.task =
        Scheduler.INSTANCE.scheduleAtFixedRate(tick, Math.min(first, toDeadline), TimeUnit.SECONDS.toMillis(EVERY_S),
            TimeUnit.MILLISECONDS);
    // the deadline itself, exactly, whatever the notices' rhythm
    Scheduler.INSTANCE.schedule(
        () -> {
          if (!task.isDone()) {
            expired.set(true);
            call.cancel();
          }
        },
        toDeadline, TimeUnit.MILLISECONDS);
  }

  /** Whether the deadline passed and the call was cancelled for it. */
  boolean expired() {
    return expired.get();
  }

  /** Stops watching: the headers came, or the call failed. */
  @Override
  public void close() {
    task.cancel(false);
  }

  private static int defaultPort(Request req) {
    return req.url().isHttps() ? 443 : 80;
  }

  /** A request in words: the manifest or blob it asks for, or the API root. */
  static String describe(Request req) {
    String path = req.url().encodedPath();
    int m = path.indexOf("/manifests/");
    if (path.startsWith("/v2/") && m > 0) {
      String ref = path.substring(m + "/manifests/".length());
      return "manifest " + path.substring(4, m) + (ref.startsWith("sha256:") ? "@" : ":") + ref;
    }
    int b = path.indexOf("/blobs/");
    if (path.startsWith("/v2/") && b > 0) {
      return "blob " + path.substring(b + "/blobs/".length()) + " of " + path.substring(4, b);
    }
    if (path.equals("/v2/")) {
      return "API check (/v2/)";
    }
    return "request for " + path;
  }
}
