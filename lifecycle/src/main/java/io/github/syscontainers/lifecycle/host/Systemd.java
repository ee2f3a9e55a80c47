package io.github.syscontainers.lifecycle.host;

import io.github.syscontainers.lifecycle.LifecycleException;

/** The systemd operations system containers need, behind an interface so tests can record them. */
public interface Systemd {
  /** Returns true when systemd manages this host (it is PID 1 and its runtime directory exists). */
  boolean isRunning();

  void daemonReload() throws LifecycleException;

  void enable(String unit) throws LifecycleException;

  /** {@code systemctl disable [--now] UNIT}. */
  void disable(String unit, boolean now) throws LifecycleException;

  void start(String unit) throws LifecycleException;

  void stop(String unit) throws LifecycleException;

  /** {@code systemctl reset-failed UNIT}: forgets a failed state and the start rate limit, so it can start again. */
  void resetFailed(String unit) throws LifecycleException;

  /** Returns true when {@code systemctl is-active UNIT} says {@code active}. */
  boolean isActive(String unit);

  /**
   * {@code systemctl show -p P… UNIT}: the properties asked for, by name ({@code ActiveState}, {@code NRestarts},
   * …); empty when systemd does not run here or cannot say.
   */
  java.util.Map<String, String> show(String unit, java.util.List<String> properties);
}
