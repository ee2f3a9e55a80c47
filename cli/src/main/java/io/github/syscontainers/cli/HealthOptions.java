package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.unitgen.HealthCheck;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code install}'s health check, named as podman names its own: what {@code auto-update} waits for after it
 * restarts the service on a new image, before it keeps it; it rolls back when the check fails.
 */
final class HealthOptions {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  @Option(
      names = "--health-cmd",
      paramLabel = "COMMAND",
      description = "A shell command that exits 0 when the service is healthy, run in the container (or on the host"
          + " with --health-on host) after an auto-update; it overrides the image's own (manifest.json healthCheck).")
  String command;

  @Option(names = "--health-on", paramLabel = "container|host", description = "Where the health command runs"
      + " (default: container).")
  String on = "container";

  @Option(names = "--health-timeout", paramLabel = "DURATION", description = "How long one run may take"
      + " (default: 10s).")
  String timeout = "10s";

  @Option(names = "--health-retries", paramLabel = "N", description = "How many runs in a row must pass (default: 3).")
  int retries = HealthCheck.DEFAULT_RETRIES;

  @Option(names = "--health-interval", paramLabel = "DURATION", description = "The pause between runs (default: 1s).")
  String interval = "1s";

  @Option(names = "--health-start-period", paramLabel = "DURATION", description = "How long after the service"
      + " starts a failed run is retried rather than counted (default: 10s).")
  String startPeriod = "10s";

  /** The health check given, if a command was. */
  Optional<HealthCheck> healthCheck() throws LifecycleException {
    if (command == null) {
      return Optional.empty();
    }
    if (!on.equals("container") && !on.equals("host")) {
      throw new LifecycleException("--health-on " + on + " is not a place; use container or host");
    }
    try {
      return Optional.of(
          HealthCheck.shell(
              command, on.equals("host"), duration("--health-timeout", timeout), retries,
              duration("--health-interval", interval), duration("--health-start-period", startPeriod)));
    } catch (IllegalArgumentException e) {
      throw new LifecycleException("The health check given is not usable: " + e.getMessage());
    }
  }

  /** Gives the facade's install the health check given, if a command was. */
  void apply(io.github.syscontainers.api.InstallCommand install) throws LifecycleException {
    Optional<HealthCheck> h = healthCheck();
    if (h.isPresent()) {
      install.setHealthCheck(h.get().command(), h.get().onHost(), h.get().timeout(), h.get().retries(),
          h.get().interval(), h.get().startPeriod());
    }
  }

  /** A duration as podman writes them ({@code 500ms}, {@code 10s}, {@code 1m}), or plain seconds. */
  static Duration duration(String option, String text) throws LifecycleException {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new LifecycleException(option + " " + text + " is not a duration; write it as 500ms, 10s, 2m or 1h");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis;
    switch (unit) {
      case "ms":
        millis = n;
        break;
      case "m":
        millis = n * 60_000;
        break;
      case "h":
        millis = n * 3_600_000;
        break;
      default:
        millis = n * 1000;
    }
    return Duration.ofMillis(Math.round(millis));
  }
}
