package io.github.syscontainers.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.host.CommandRunner;
import io.github.syscontainers.lifecycle.host.InteractiveRunner;
import io.github.syscontainers.lifecycle.host.InteractiveRunner.Stdio;
import io.github.syscontainers.unitgen.ConfigJson;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code run CONTAINER [COMMAND…]} on an installed container (§3.7, §8.9): without a command its service is
 * started; with one, the command runs in the running container ({@code runc exec}), or, when it is not running, in
 * a fresh container from its deployment and config.json (with the bind-mount sources under {@code /run} that
 * systemd's {@code RuntimeDirectory=} would have made).
 */
public final class ContainerExec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Layout layout;
  private final Edge edge;
  private final NoticeListener out;

  public ContainerExec(Layout layout, Edge edge, NoticeListener out) {
    this.layout = layout;
    this.edge = edge;
    this.out = out;
  }

  /** Starts the container's service; where systemd does not run, says in one line that it was skipped. */
  public void start(String name) throws LifecycleException {
    ContainerNames.validate(name);
    InstalledContainer.load(layout, name);
    ServiceManager services = new ServiceManager(edge.systemd(), edge.tmpfiles(), out, layout);
    services.start(name);
    services.reportSkipped();
  }

  /**
   * {@code stop NAME} (§3.8): stops the container's service ({@code systemctl stop NAME}); where systemd does not
   * run, says in one line that it was skipped. With {@code display}, only says what it would run.
   */
  public void stop(String name, boolean display) throws LifecycleException {
    if (!ContainerNames.isValid(name) || !new Deployments(layout.checkoutDir()).isInstalled(name)) {
      throw new LifecycleException(
          "Unable to find backend associated with container '" + name + "'; see `containers list -a`");
    }
    InstalledContainer.load(layout, name); // its root, checked
    if (display) {
      out.notice(Notice.info("systemctl stop " + name));
      return;
    }
    ServiceManager services = new ServiceManager(edge.systemd(), edge.tmpfiles(), out, layout);
    services.stop(name);
    services.reportSkipped();
  }

  /** Runs {@code args} in the container; returns its exit status. */
  public int exec(String name, List<String> args, boolean detach) throws LifecycleException {
    return exec(name, args, detach, Stdio.INHERIT).exitCode();
  }

  /** {@link #exec(String, List, boolean)} with its output captured or not. */
  public CommandRunner.Result exec(String name, List<String> args, boolean detach, Stdio stdio)
      throws LifecycleException {
    ContainerNames.validate(name);
    if (!new Deployments(layout.checkoutDir()).isInstalled(name)) {
      throw new LifecycleException("The container '" + name + "' doesn't exist");
    }
    InstalledContainer c = InstalledContainer.load(layout, name);
    String runtime = c.info().runtime();
    InteractiveRunner runner = new InteractiveRunner();
    try {
      if (new ServiceManager(edge.systemd(), edge.tmpfiles(), out, layout).isActive(name)) {
        List<String> cmd = new ArrayList<>(List.of(runtime, "exec"));
        if (InteractiveRunner.terminal(stdio)) {
          cmd.add("--tty");
        }
        if (detach) {
          cmd.add("--detach");
        }
        cmd.add(name);
        cmd.addAll(args);
        return runner.run(cmd, c.deployment(), stdio);
      }
      if (detach) {
        throw new LifecycleException("Cannot use --detach with not running containers");
      }
      Path bundle = Files.createTempDirectory(Files.createDirectories(layout.repo().resolve("tmp")), "run-" + name);
      try {
        String config = Files.readString(c.deployment().resolve("config.json"));
        String rootfs = c.deployment().resolve("rootfs").toRealPath().toString();
        Files.writeString(
            bundle.resolve("config.json"),
            ConfigJson.forRun(config, Optional.of(rootfs), args, InteractiveRunner.terminal(stdio)));
        createRunDirectories(config);
        return runner.run(List.of(runtime, "run", name), bundle, stdio);
      } finally {
        DeploymentWriter.remove(bundle);
      }
    } catch (UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException("Tried to run a command in " + name + " but failed: " + e.getMessage(), e);
    }
  }

  /** Makes missing bind-mount sources under /run and /var/run, which the service's RuntimeDirectory= makes. */
  private void createRunDirectories(String config) throws IOException {
    JsonNode mounts = JSON.readTree(config).path("mounts");
    for (JsonNode m : mounts) {
      String source = m.path("source").asText("");
      if ((source.startsWith("/run/") || source.startsWith("/var/run/")) && !source.contains("/../")) {
        Path p = layout.root().resolve(source.substring(1));
        if (!Files.exists(p)) {
          Files.createDirectories(p);
        }
      }
    }
  }
}
