package io.github.syscontainers.lifecycle;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The units that run {@code auto-update} unattended, as podman ships {@code podman-auto-update.service} and
 * {@code .timer}: a oneshot service (its output, with each container's name and both digests, goes to the journal)
 * and a timer, {@code Persistent=true} so a host that was off catches up, with a randomized delay so a fleet does not
 * all pull at once.
 */
public final class AutoUpdateUnits {
  public static final String SERVICE = "syscontainers-auto-update.service";
  public static final String TIMER = "syscontainers-auto-update.timer";

  private final Layout layout;
  private final Edge edge;
  private final NoticeListener out;

  public AutoUpdateUnits(Layout layout, Edge edge, NoticeListener out) {
    this.layout = layout;
    this.edge = edge;
    this.out = out;
  }

  /** The service's text: {@code command} is how this host runs syscontainers (its words, each quoted as needed). */
  public static String service(List<String> command) {
    String exec = command.stream().map(AutoUpdateUnits::quote).collect(Collectors.joining(" "));
    return "[Unit]\n"
        + "Description=syscontainers auto-update: update system containers that have an auto-update policy\n"
        + "Documentation=https://github.com/syscontainers/syscontainers/blob/main/README.md\n"
        + "Wants=network-online.target\n"
        + "After=network-online.target\n"
        + "\n"
        + "[Service]\n"
        + "Type=oneshot\n"
        + "ExecStart=" + exec + " auto-update\n";
  }

  /** The timer's text: {@code onCalendar} as systemd.time(7) writes it. */
  public static String timer(String onCalendar, Duration randomizedDelay) {
    return "[Unit]\n"
        + "Description=syscontainers auto-update timer\n"
        + "\n"
        + "[Timer]\n"
        + "OnCalendar=" + onCalendar + "\n"
        + "RandomizedDelaySec=" + randomizedDelay.toSeconds() + "\n"
        + "Persistent=true\n"
        + "\n"
        + "[Install]\n"
        + "WantedBy=timers.target\n";
  }

  /** Writes both units, reloads systemd and enables (and starts, where systemd runs) the timer. */
  public void install(List<String> command, String onCalendar, Duration randomizedDelay) throws LifecycleException {
    Path service = layout.unitDir().resolve(SERVICE);
    Path timer = layout.unitDir().resolve(TIMER);
    try {
      AtomicFiles.write(service, service(command));
      AtomicFiles.write(timer, timer(onCalendar, randomizedDelay));
    } catch (IOException e) {
      throw new LifecycleException("Tried to write " + service + " and " + timer + " but failed: " + e.getMessage(), e);
    }
    out.notice(Notice.info("Created file " + layout.inRoot(service)));
    out.notice(Notice.info("Created file " + layout.inRoot(timer)));
    ServiceManager services = new ServiceManager(edge.systemd(), edge.tmpfiles(), out, layout);
    services.daemonReload();
    services.enable(TIMER);
    services.start(TIMER);
    services.reportSkipped();
  }

  /** A word of ExecStart=, quoted as systemd unquotes it when it holds a space, a quote or a backslash. */
  static String quote(String word) {
    if (!word.isEmpty() && word.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\' || c == '\t')) {
      return word.replace("%", "%%");
    }
    return "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
  }
}
