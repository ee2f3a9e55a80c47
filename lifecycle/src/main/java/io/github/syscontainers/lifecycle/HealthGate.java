package io.github.syscontainers.lifecycle;

import io.github.syscontainers.lifecycle.host.CommandRunner;
import io.github.syscontainers.lifecycle.host.Systemd;
import io.github.syscontainers.unitgen.HealthCheck;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a service that was just (re)started is healthy: its unit must become {@code active} within its own
 * start timeout ({@code TimeoutStartUSec}), then stay active, without systemd restarting it, for the settle time and
 * while the health check (if there is one) passes the number of times it asks, each run within its timeout. A unit
 * that fails, stops, or is restarted by systemd ({@code NRestarts} grows, or it waits in {@code auto-restart}) is
 * unhealthy at once.
 */
final class HealthGate {
  private static final Logger LOG = LoggerFactory.getLogger(HealthGate.class);
  private static final List<String> PROPERTIES =
      List.of("ActiveState", "SubState", "NRestarts", "Result", "ExecMainStatus", "TimeoutStartUSec");
  private static final Duration POLL = Duration.ofMillis(100);
  /** The longest a unit may take to become active, whatever its own timeout says (systemd's default is 90 s). */
  private static final Duration MAX_START = Duration.ofMinutes(5);

  /** How a wait ended: {@code why} says what was seen, in words. */
  record Verdict(boolean healthy, String why, Duration took) {}

  private final Systemd systemd;
  private final CommandRunner runner;
  private final Duration settle;

  HealthGate(Systemd systemd, CommandRunner runner, Duration settle) {
    this.systemd = systemd;
    this.runner = runner;
    this.settle = settle;
  }

  /**
   * Waits for {@code unit} to be healthy.
   *
   * @param exec the runtime's exec command for the container ({@code runc exec NAME}), for a check run inside it
   */
  Verdict await(String unit, Optional<HealthCheck> check, List<String> exec) throws InterruptedIOException {
    long start = System.nanoTime();
    Map<String, String> first = systemd.show(unit, PROPERTIES);
    if (first.isEmpty()) {
      return verdict(false, "systemd cannot say how " + unit + " is (is systemd running?)", start);
    }
    int restarts = restarts(first);
    Duration startTimeout = startTimeout(first);
    // 1. active, within the unit's own start timeout
    Map<String, String> now = first;
    while (!"active".equals(now.get("ActiveState"))) {
      Optional<String> bad = failure(unit, now, restarts);
      if (bad.isPresent()) {
        return verdict(false, bad.get(), start);
      }
      if (elapsed(start).compareTo(startTimeout) > 0) {
        return verdict(false, unit + " did not become active within " + seconds(startTimeout) + " (its start"
            + " timeout); it is " + state(now), start);
      }
      pause(POLL);
      now = systemd.show(unit, PROPERTIES);
    }
    long active = System.nanoTime();
    // 2. the health check, N times in a row, the unit still active between runs; a failure in the start period is
    // retried (the service may not be up yet), one after it fails the check
    if (check.isPresent()) {
      HealthCheck h = check.get();
      List<String> argv = new ArrayList<>(h.onHost() ? List.of() : exec);
      argv.addAll(h.command());
      int passed = 0;
      for (int run = 1; passed < h.retries(); run++) {
        CommandRunner.Result r;
        try {
          r = runner.run(argv, h.timeout());
        } catch (InterruptedIOException e) {
          throw e;
        } catch (IOException e) {
          return verdict(false, "the health check " + String.join(" ", h.command()) + " could not run: "
              + e.getMessage(), start);
        }
        LOG.debug("health check run {} of {}: exit {}", run, unit, r.exitCode());
        Optional<String> bad = stillActive(unit, restarts);
        if (bad.isPresent()) {
          return verdict(false, bad.get(), start);
        }
        if (r.exitCode() == 0) {
          passed++;
        } else {
          passed = 0;
          if (elapsed(active).compareTo(h.startPeriod()) >= 0) {
            String line = r.firstErrorLine();
            return verdict(false, "the health check " + String.join(" ", h.command()) + " failed (exit status "
                + r.exitCode() + (line.isEmpty() ? "" : ": " + line) + ") " + seconds(elapsed(active))
                + " after the service started, past its start period of " + seconds(h.startPeriod()), start);
          }
        }
        if (passed < h.retries()) {
          pause(h.interval());
        }
      }
    }
    // 3. still active, not restarted, for the settle time since it became active
    while (elapsed(active).compareTo(settle) < 0) {
      Optional<String> bad = stillActive(unit, restarts);
      if (bad.isPresent()) {
        return verdict(false, bad.get(), start);
      }
      pause(POLL);
    }
    Optional<String> bad = stillActive(unit, restarts);
    if (bad.isPresent()) {
      return verdict(false, bad.get(), start);
    }
    return verdict(true, unit + " is active" + (check.isPresent() ? " and passed its health check "
        + check.get().retries() + " times" : "") + ", unchanged for " + seconds(settle), start);
  }

  private Optional<String> stillActive(String unit, int restarts) {
    Map<String, String> now = systemd.show(unit, PROPERTIES);
    if (!"active".equals(now.get("ActiveState"))) {
      return Optional.of(failure(unit, now, restarts).orElse(unit + " is no longer active: it is " + state(now)));
    }
    return failure(unit, now, restarts);
  }

  /** What is wrong with a unit that should be starting or running, if anything. */
  private static Optional<String> failure(String unit, Map<String, String> now, int restarts) {
    String active = now.getOrDefault("ActiveState", "");
    String sub = now.getOrDefault("SubState", "");
    if (active.equals("failed")) {
      return Optional.of(unit + " failed (" + result(now) + ")");
    }
    if (sub.equals("auto-restart") || restarts(now) > restarts) {
      return Optional.of(unit + "'s service exited (" + result(now) + ") and systemd is restarting it");
    }
    if (active.equals("inactive") || active.equals("deactivating")) {
      boolean failed = !now.getOrDefault("Result", "success").equals("success");
      return Optional.of(unit + (failed ? "'s service exited (" : " stopped (") + result(now) + ")");
    }
    return Optional.empty();
  }

  private static String result(Map<String, String> now) {
    String status = now.getOrDefault("ExecMainStatus", "");
    return "result " + now.getOrDefault("Result", "unknown") + (status.isEmpty() ? "" : ", exit status " + status);
  }

  private static String state(Map<String, String> now) {
    return now.getOrDefault("ActiveState", "unknown") + " (" + now.getOrDefault("SubState", "unknown") + ")";
  }

  private static int restarts(Map<String, String> props) {
    try {
      return Integer.parseInt(props.getOrDefault("NRestarts", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The unit's TimeoutStartUSec ({@code 1min 30s}, {@code infinity}), capped. */
  static Duration startTimeout(Map<String, String> props) {
    String text = props.getOrDefault("TimeoutStartUSec", "");
    if (text.isEmpty() || text.equals("infinity")) {
      return MAX_START;
    }
    long millis = 0;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(min|ms|us|s|h)").matcher(text);
    boolean any = false;
    while (m.find()) {
      any = true;
      double n = Double.parseDouble(m.group(1));
      switch (m.group(2)) {
        case "h":
          millis += (long) (n * 3_600_000);
          break;
        case "min":
          millis += (long) (n * 60_000);
          break;
        case "s":
          millis += (long) (n * 1000);
          break;
        case "ms":
          millis += (long) n;
          break;
        default:
          millis += (long) (n / 1000);
      }
    }
    Duration d = any ? Duration.ofMillis(millis) : Duration.ofSeconds(90);
    return d.compareTo(MAX_START) > 0 ? MAX_START : d;
  }

  private static Duration elapsed(long since) {
    return Duration.ofNanos(System.nanoTime() - since);
  }

  private static Verdict verdict(boolean healthy, String why, long start) {
    return new Verdict(healthy, why, elapsed(start));
  }

  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static void pause(Duration d) throws InterruptedIOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a service to be healthy");
    }
  }
}
