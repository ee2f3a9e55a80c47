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

  /**
   * The context of an operation on this machine: the real programs at the edge for {@code layout}, the system clock,
   * and the host's identity from {@code env} (what the CLI and the API both use).
   */
  public static LifecycleContext standard(Environment env, Layout layout, NoticeListener out) {
    HostContext host =
        new HostContext(
            layout.rootMode(),
            env.uid(),
            env.gid(),
            env.home().toString(),
            env.get("XDG_RUNTIME_DIR").orElse(""),
            io.github.syscontainers.unitgen.Capabilities.lastCap(java.nio.file.Path.of("/proc/sys/kernel/cap_last_cap")),
            env.get("SYSCONTAINERS_LAUNCHER").orElse("/usr/bin/syscontainers"),
            env.get("USER").orElse(System.getProperty("user.name")));
    return new LifecycleContext(layout, env, Edge.real(layout), out, Clock.systemUTC(), host);
  }
}
