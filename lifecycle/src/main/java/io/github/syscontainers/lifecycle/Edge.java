package io.github.syscontainers.lifecycle;

import io.github.syscontainers.lifecycle.host.CommandRunner;
import io.github.syscontainers.lifecycle.host.ProcessRunner;
import io.github.syscontainers.lifecycle.host.Systemd;
import io.github.syscontainers.lifecycle.host.SystemctlCommand;
import io.github.syscontainers.lifecycle.host.Tmpfiles;
import io.github.syscontainers.lifecycle.host.TmpfilesCommand;

/** The programs at the edge of an operation: systemd, systemd-tmpfiles, and a runner for the OCI runtime. */
public record Edge(Systemd systemd, Tmpfiles tmpfiles, CommandRunner runner) {

  /** The real programs, for a layout (alternate root and user mode respected). */
  public static Edge real(Layout layout) {
    CommandRunner runner = new ProcessRunner();
    return new Edge(
        new SystemctlCommand(runner, !layout.rootMode(), layout.root()),
        new TmpfilesCommand(runner, layout.root()),
        runner);
  }
}
