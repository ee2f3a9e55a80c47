package io.github.syscontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.api.AutoUpdated;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code syscontainers auto-update}: podman's {@code auto-update} for system containers, health-gated, with automatic
 * rollback; {@code --install-timer} installs the units that run it unattended.
 */
@Command(
    name = "auto-update",
    description = "Update every container that has an auto-update policy (install --set io.containers.autoupdate="
        + "registry|local, or the image's label); keep the new version only if its service is healthy, else roll back."
        + " Exit status: 0 all fine, 1 something failed, 2 something was rolled back.")
final class AutoUpdateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin SourceOptionsMixin source;

  @Option(names = "--dry-run", description = "Only check: list what would be updated, change nothing.")
  boolean dryRun;

  @Option(names = "--parallel", paramLabel = "N", description = "Update up to N containers at a time (default: 1).")
  int parallel = 1;

  @Option(names = "--settle", paramLabel = "DURATION", description = "How long a restarted service must stay active,"
      + " not restarted by systemd, to count as healthy (default: 3s).")
  String settle = "3s";

  @Option(names = "--install-timer", description = "Install and enable syscontainers-auto-update.service and .timer"
      + " instead of updating.")
  boolean installTimer;

  @Option(names = "--on-calendar", paramLabel = "SPEC", description = "With --install-timer: when the timer fires"
      + " (systemd.time(7); default: daily).")
  String onCalendar = "daily";

  @Option(names = "--randomized-delay", paramLabel = "DURATION", description = "With --install-timer: the random"
      + " delay of each firing, so a fleet does not all pull at once (default: 15m).")
  String randomizedDelay = "15m";

  @Spec CommandSpec spec;

  /** What the launcher says it is (its path), so the service runs the same syscontainers as this command. */
  static final String COMMAND_VARIABLE = "SYSCONTAINERS_COMMAND";

  @Override
  public Integer call() throws Exception {
    if (parallel < 1) {
      throw new LifecycleException("--parallel " + parallel + " is not a number of containers; give 1 or more");
    }
    if (installTimer) {
      try {
        Facade.open(common, spec).installAutoUpdateTimer(command(common.environment()), onCalendar,
            HealthOptions.duration("--randomized-delay", randomizedDelay));
      } catch (SystemContainersException e) {
        throw new LifecycleException(e.getMessage(), e, e.exitCode());
      }
      return 0;
    }
    boolean json = source.json;
    if (json) {
      // stdout holds the JSON alone: what happens on the way goes to stderr, and no progress is shown
      source.json = false;
      source.quiet = true;
    }
    List<AutoUpdated> results;
    try {
      results = Facade.open(common, spec, json).autoUpdate().setDryRun(dryRun).setParallel(parallel)
          .setSettle(HealthOptions.duration("--settle", settle)).setSources(source.sources(common))
          .setProgress(source.progress()).call();
    } catch (SystemContainersException e) {
      throw new LifecycleException(e.getMessage(), e, e.exitCode());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(results));
    } else {
      print(out, results);
    }
    out.flush();
    boolean failed = results.stream().anyMatch(r -> r.status().equals("failed"));
    boolean rolledBack = results.stream().anyMatch(r -> r.status().equals("rolled back"));
    return failed ? 1 : rolledBack ? 2 : 0;
  }

  private void print(PrintWriter out, List<AutoUpdated> results) {
    if (results.isEmpty()) {
      out.println("No container has an auto-update policy (install --set io.containers.autoupdate=registry|local).");
      return;
    }
    String format = "%-16s %-40s %-9s %-12s %-12s %s%n";
    out.printf(format, "CONTAINER", "IMAGE", "POLICY", "FROM", "TO", "STATUS");
    for (AutoUpdated r : results) {
      out.printf(format, r.container(), r.image(), r.policy(), shortId(r.from()), r.to().map(this::shortId).orElse(""),
          r.status());
    }
    PrintWriter err = spec.commandLine().getErr();
    for (AutoUpdated r : results) {
      if (r.status().equals("failed") || r.status().equals("rolled back")) {
        err.println(r.container() + ": " + r.status() + ": " + r.detail());
      }
    }
    err.flush();
  }

  private String shortId(String id) {
    return id.substring(0, Math.min(12, id.length()));
  }

  static String toJson(List<AutoUpdated> results) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ArrayNode arr = m.createArrayNode();
    for (AutoUpdated r : results) {
      ObjectNode o = arr.addObject();
      o.put("container", r.container());
      o.put("unit", r.container() + ".service");
      o.put("image", r.image());
      o.put("policy", r.policy());
      o.put("from", r.from().isEmpty() ? "" : "sha256:" + r.from());
      o.put("to", r.to().map(t -> "sha256:" + t).orElse(""));
      o.put("status", r.status());
      o.put("detail", r.detail());
      ObjectNode ms = o.putObject("timings_ms");
      r.timings().forEach(ms::put);
    }
    return m.writerWithDefaultPrettyPrinter().writeValueAsString(arr);
  }

  /** How this host runs syscontainers: the launcher's path, or this JVM and its jar. */
  static List<String> command(Environment env) throws LifecycleException {
    if (env.get(COMMAND_VARIABLE).isPresent()) {
      return List.of(env.get(COMMAND_VARIABLE).get());
    }
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    try {
      Path jar = Path.of(AutoUpdateCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(jar)) {
        argv.addAll(List.of("-jar", jar.toString()));
        return argv;
      }
    } catch (java.net.URISyntaxException | SecurityException e) {
      // fall through to the class path
    }
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return argv;
  }
}
