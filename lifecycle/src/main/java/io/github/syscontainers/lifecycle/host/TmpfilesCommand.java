package io.github.syscontainers.lifecycle.host;

import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link Tmpfiles} through {@code systemd-tmpfiles}, with {@code --root=DIR} for an alternate root. */
public final class TmpfilesCommand implements Tmpfiles {
  private final CommandRunner runner;
  private final Path root;

  public TmpfilesCommand(CommandRunner runner, Path root) {
    this.runner = runner;
    this.root = root;
  }

  @Override
  public void create(Path conf) throws LifecycleException {
    run("--create", conf);
  }

  @Override
  public void remove(Path conf) throws LifecycleException {
    run("--remove", conf);
  }

  private void run(String op, Path conf) throws LifecycleException {
    List<String> argv = new ArrayList<>(List.of("systemd-tmpfiles"));
    if (!root.equals(root.getRoot())) {
      argv.add("--root=" + root);
    }
    argv.add(op);
    argv.add(conf.toString());
    Commands.check(runner, argv);
  }
}
