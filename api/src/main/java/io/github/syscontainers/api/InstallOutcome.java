package io.github.syscontainers.api;

import java.util.Optional;

/**
 * How {@link InstallCommand#outcome()} ended, every way atomic's install can end.
 *
 * @param status what happened
 * @param installed the new deployment, when one was made
 * @param exitCode the status the CLI exits with: 0, or a run-once image's own exit status
 */
public record InstallOutcome(Status status, Optional<Installed> installed, int exitCode) {
  /** The ways an install ends. */
  public enum Status {
    /** Installed: {@link #installed()} holds the deployment. */
    INSTALLED,
    /** A container of that name was there already; nothing was changed (atomic says so and succeeds). */
    ALREADY_PRESENT,
    /** {@code --display}: the image pulled and where it would be extracted said; nothing installed. */
    DISPLAYED,
    /** The image is labelled {@code atomic.run=once}: it ran in the foreground and was removed. */
    RAN_ONCE
  }
}
