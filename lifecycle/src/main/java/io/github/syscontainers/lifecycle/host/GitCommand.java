package io.github.syscontainers.lifecycle.host;

import io.github.syscontainers.unitgen.Linter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code git -C DIR status FILE} for the linter; empty when git is missing or DIR is no work tree. */
public final class GitCommand implements Linter.GitStatus {
  private final CommandRunner runner;

  public GitCommand(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public Optional<String> status(Path dir, String file) {
    try {
      CommandRunner.Result r = runner.run(List.of("git", "-C", dir.toString(), "status", file));
      return r.exitCode() == 0 ? Optional.of(r.stdout()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
