package io.github.syscontainers.lifecycle.host;

import io.github.syscontainers.lifecycle.LifecycleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Systemd} through the {@code systemctl} program: {@code --user} in user mode, {@code --root=DIR} for an
 * alternate root (where only enable and disable make sense, as with {@code systemctl --root}).
 */
public final class SystemctlCommand implements Systemd {
  private final CommandRunner runner;
  private final boolean user;
  private final Path root;

  public SystemctlCommand(CommandRunner runner, boolean user, Path root) {
    this.runner = runner;
    this.user = user;
    this.root = root;
  }

  private boolean alternateRoot() {
    return !root.equals(root.getRoot());
  }

  @Override
  public boolean isRunning() {
    return !alternateRoot() && Files.isDirectory(Path.of("/run/systemd/system"));
  }

  @Override
  public void daemonReload() throws LifecycleException {
    run("daemon-reload");
  }

  @Override
  public void enable(String unit) throws LifecycleException {
    run("enable", unit);
  }

  @Override
  public void disable(String unit, boolean now) throws LifecycleException {
    if (now) {
      run("disable", "--now", unit);
    } else {
      run("disable", unit);
    }
  }

  @Override
  public void start(String unit) throws LifecycleException {
    run("start", unit);
  }

  @Override
  public void stop(String unit) throws LifecycleException {
    run("stop", unit);
  }

  @Override
  public void resetFailed(String unit) throws LifecycleException {
    run("reset-failed", unit);
  }

  @Override
  public boolean isActive(String unit) {
    if (!isRunning()) {
      return false;
    }
    try {
      return runner.run(argv("is-active", unit)).stdout().strip().equals("active");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public java.util.Map<String, String> show(String unit, List<String> properties) {
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    if (!isRunning()) {
      return values;
    }
    List<String> args = new ArrayList<>(List.of("show"));
    for (String p : properties) {
      args.add("-p");
      args.add(p);
    }
    args.add(unit);
    try {
      CommandRunner.Result r = runner.run(argv(args.toArray(new String[0])));
      if (r.exitCode() == 0) {
        for (String line : r.stdout().split("\n")) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            values.put(line.substring(0, eq), line.substring(eq + 1).strip());
          }
        }
      }
    } catch (IOException e) {
      // no systemctl: nothing to say
    }
    return values;
  }

  private List<String> argv(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("systemctl");
    if (user) {
      argv.add("--user");
    }
    if (alternateRoot()) {
      argv.add("--root=" + root);
    }
    argv.addAll(List.of(args));
    return argv;
  }

  private void run(String... args) throws LifecycleException {
    Commands.check(runner, argv(args));
  }
}
