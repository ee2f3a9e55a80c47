package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.AutoUpdater;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code syscontainers auto-update}: every container with an auto-update policy checked, updated when its image
 * moved, kept only if its service is healthy, else rolled back (see docs/auto-update.md).
 */
public final class AutoUpdateCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private boolean dryRun;
  private int parallel = 1;
  private Duration settle = Duration.ofSeconds(3);

  AutoUpdateCommand(Session session) {
    this.session = session;
  }

  /** {@code --dry-run}: only check. */
  public AutoUpdateCommand setDryRun(boolean dryRun) {
    this.dryRun = dryRun;
    return this;
  }

  /** {@code --parallel N}: update up to N containers at a time. */
  public AutoUpdateCommand setParallel(int parallel) {
    this.parallel = parallel;
    return this;
  }

  /** {@code --settle}: how long a restarted service must stay active to count as healthy. */
  public AutoUpdateCommand setSettle(Duration settle) {
    this.settle = settle;
    return this;
  }

  /** {@code --tls-verify}. */
  public AutoUpdateCommand setTlsVerify(boolean verify) {
    source.sources = source.sources.withTlsVerify(verify);
    return this;
  }

  /** All the source flags at once (the individual setters change one of them). */
  public AutoUpdateCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** Where a pull's progress goes (default: nowhere). */
  public AutoUpdateCommand setProgress(Progress progress) {
    source.progress = java.util.Objects.requireNonNull(progress, "progress");
    return this;
  }

  /** Runs; one result per container with a policy, in name order. */
  public List<AutoUpdated> call() throws SystemContainersException {
    if (parallel < 1) {
      throw new SystemContainersException("auto-update", null, "--parallel " + parallel
          + " is not a number of containers; give 1 or more", 2, null);
    }
    try {
      List<AutoUpdated> out = new ArrayList<>();
      for (AutoUpdater.Result r : new AutoUpdater(session.context())
          .run(new AutoUpdater.Options(dryRun, parallel, settle, source.options(session), source.sources.platform()))) {
        out.add(new AutoUpdated(r.container(), r.image(), r.policy(), r.from(), r.to(), r.status().word(), r.detail(),
            r.timings()));
      }
      return out;
    } catch (LifecycleException e) {
      throw Session.failure("auto-update", null, e);
    }
  }
}
