package io.github.syscontainers.unitgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command that says whether a container's service is healthy after an update: run in the container (with the
 * runtime's {@code exec}) or on the host, it must exit 0 within {@code timeout}, {@code retries} times in a row,
 * {@code interval} apart. Failures within {@code startPeriod} of the unit becoming active do not count (the service
 * may not be up yet: podman's start period); one after it fails the check. Read from the image's {@code /exports/manifest.json} ({@code "healthCheck"}) or given at
 * install ({@code --health-cmd} and its companions, recorded in the deployment's {@code info}).
 *
 * <pre>"healthCheck": {"command": ["/bin/sh", "-c", "test -f /run/ready"], "on": "container",
 *                 "timeout": 10, "retries": 3, "interval": 1, "startPeriod": 10}</pre>
 *
 * @param command the program and its arguments (a string given at install runs as {@code /bin/sh -c STRING})
 * @param onHost true to run it on the host, false to run it in the container
 * @param timeout how long one run may take
 * @param retries how many runs in a row must pass
 * @param interval the pause between runs
 * @param startPeriod how long after the unit became active a failed run is retried rather than counted
 */
public record HealthCheck(
    List<String> command, boolean onHost, Duration timeout, int retries, Duration interval, Duration startPeriod) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_RETRIES = 3;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_START_PERIOD = Duration.ofSeconds(10);

  public HealthCheck {
    command = List.copyOf(command);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(startPeriod, "startPeriod");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a health check needs a command");
    }
    if (retries < 1) {
      throw new IllegalArgumentException("a health check runs at least once, not " + retries + " times");
    }
    if (timeout.isNegative() || timeout.isZero() || interval.isNegative() || startPeriod.isNegative()) {
      throw new IllegalArgumentException(
          "a health check's timeout must be positive, and its interval and start period not negative");
    }
  }

  /** A shell command line, as {@code --health-cmd} takes it (podman's form). */
  public static HealthCheck shell(
      String line, boolean onHost, Duration timeout, int retries, Duration interval, Duration startPeriod) {
    return new HealthCheck(List.of("/bin/sh", "-c", line), onHost, timeout, retries, interval, startPeriod);
  }

  /** Reads the JSON form; {@code what} names where it came from, for the error. */
  public static HealthCheck fromJson(JsonNode n, String what) throws UnitGenException {
    if (!n.isObject()) {
      throw new UnitGenException(what + ": \"healthCheck\" must be an object with a \"command\"");
    }
    List<String> command = new ArrayList<>();
    JsonNode c = n.path("command");
    if (c.isTextual()) {
      command.addAll(List.of("/bin/sh", "-c", c.asText()));
    } else {
      c.forEach(a -> command.add(a.asText()));
    }
    String on = n.path("on").asText("container");
    if (!on.equals("container") && !on.equals("host")) {
      throw new UnitGenException(what + ": \"healthCheck\".\"on\" is \"" + on + "\"; use \"container\" or \"host\"");
    }
    try {
      return new HealthCheck(
          command,
          on.equals("host"),
          seconds(n.path("timeout"), DEFAULT_TIMEOUT),
          n.path("retries").asInt(DEFAULT_RETRIES),
          seconds(n.path("interval"), DEFAULT_INTERVAL),
          seconds(n.path("startPeriod"), DEFAULT_START_PERIOD));
    } catch (IllegalArgumentException e) {
      throw new UnitGenException(what + ": \"healthCheck\" is not usable: " + e.getMessage(), e);
    }
  }

  /** The JSON form, seconds as numbers. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    var argv = o.putArray("command");
    command.forEach(argv::add);
    o.put("on", onHost ? "host" : "container");
    o.put("timeout", timeout.toMillis() / 1000.0);
    o.put("retries", retries);
    o.put("interval", interval.toMillis() / 1000.0);
    o.put("startPeriod", startPeriod.toMillis() / 1000.0);
    return o;
  }

  private static Duration seconds(JsonNode n, Duration absent) {
    return n.isNumber() ? Duration.ofMillis(Math.round(n.asDouble() * 1000)) : absent;
  }
}
