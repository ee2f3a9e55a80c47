package io.github.syscontainers.lifecycle;

import io.github.syscontainers.unitgen.HostContext;
import java.time.Clock;
import java.util.Objects;

/**
 * What every lifecycle operation works with: where things are, the environment, the programs at the edge, where
 * notices go, the clock, and the host's identity for templates.
 */
public record LifecycleContext(
    Layout layout, Environment env, Edge edge, NoticeListener out, Clock clock, HostContext host) {
  public LifecycleContext {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(host, "host");
  }
}
