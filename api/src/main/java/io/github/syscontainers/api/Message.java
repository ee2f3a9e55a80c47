package io.github.syscontainers.api;

/**
 * A line a call has for its user, as the CLI prints it: {@code systemctl daemon-reload}, {@code Extracting to …},
 * warnings such as {@code Note: systemd is not running on this host; skipped …}.
 *
 * @param warning true for a warning (the CLI's stderr), false for information (its stdout)
 */
public record Message(boolean warning, String text) {}
