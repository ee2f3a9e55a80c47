package io.github.syscontainers.lifecycle;

import io.github.syscontainers.lifecycle.host.Systemd;
import io.github.syscontainers.lifecycle.host.Tmpfiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives systemd and systemd-tmpfiles for one operation, echoing each command as atomic did
 * ({@code systemctl daemon-reload}, {@code systemctl enable NAME}, …). When systemd is not running, or the target
 * is an alternate root, the commands that need a running systemd are skipped and the user is told once, in one
 * line; enable, disable and tmpfiles still run, as they work offline.
 *
 * <p>Not thread-safe; one per operation.
 */
final class ServiceManager {
  private final Systemd systemd;
  private final Tmpfiles tmpfiles;
  private final NoticeListener out;
  private final Layout layout;
  private final List<String> skipped = new ArrayList<>();

  ServiceManager(Systemd systemd, Tmpfiles tmpfiles, NoticeListener out, Layout layout) {
    this.systemd = systemd;
    this.tmpfiles = tmpfiles;
    this.out = out;
    this.layout = layout;
  }

  boolean running() {
    return systemd.isRunning();
  }

  void daemonReload() throws LifecycleException {
    if (!running()) {
      skipped.add("systemctl daemon-reload");
      return;
    }
    out.notice(Notice.info("systemctl daemon-reload"));
    systemd.daemonReload();
  }

  void enable(String name) throws LifecycleException {
    out.notice(Notice.info("systemctl enable " + name));
    systemd.enable(name);
  }

  /** Disables (and stops, when systemd runs) a unit; failures are reported and ignored, as atomic did. */
  void disableNow(String name) {
    boolean now = running();
    out.notice(Notice.info("systemctl disable " + (now ? "--now " : "") + name));
    try {
      systemd.disable(name, now);
    } catch (LifecycleException e) {
      out.notice(Notice.warning(e.getMessage()));
    }
  }

  void start(String name) throws LifecycleException {
    if (!running()) {
      skipped.add("systemctl start " + name);
      return;
    }
    out.notice(Notice.info("systemctl start " + name));
    systemd.start(name);
  }

  void stop(String name) throws LifecycleException {
    if (!running()) {
      skipped.add("systemctl stop " + name);
      return;
    }
    out.notice(Notice.info("systemctl stop " + name));
    systemd.stop(name);
  }

  /** Stops a unit and forgets that it failed (and how often it started), so it can be started again at once. */
  void stopAndReset(String name) throws LifecycleException {
    if (!running()) {
      return;
    }
    out.notice(Notice.info("systemctl stop " + name));
    systemd.stop(name);
    systemd.resetFailed(name);
  }

  boolean isActive(String name) {
    return running() && systemd.isActive(name);
  }

  void tmpfilesCreate(Path conf) throws LifecycleException {
    out.notice(Notice.info("systemd-tmpfiles --create " + layout.inRoot(conf)));
    tmpfiles.create(conf);
  }

  /** Removes what a tmpfiles conf created; failures are reported and ignored, as atomic did. */
  void tmpfilesRemove(Path conf) {
    out.notice(Notice.info("systemd-tmpfiles --remove " + layout.inRoot(conf)));
    try {
      tmpfiles.remove(conf);
    } catch (LifecycleException e) {
      out.notice(Notice.warning(e.getMessage()));
    }
  }

  /** Tells the user, in one line, what was skipped because systemd is not running. */
  void reportSkipped() {
    if (skipped.isEmpty()) {
      return;
    }
    String why =
        layout.alternateRoot()
            ? "working in the alternate root " + layout.root()
            : "systemd is not running on this host";
    out.notice(Notice.warning("Note: " + why + "; skipped " + String.join(", ", skipped) + "."));
    skipped.clear();
  }
}
