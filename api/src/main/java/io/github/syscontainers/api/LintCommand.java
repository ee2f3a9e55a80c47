package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.host.GitCommand;
import io.github.syscontainers.lifecycle.host.ProcessRunner;
import io.github.syscontainers.unitgen.Linter;
import io.github.syscontainers.unitgen.UnitGenException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code syscontainers lint DIR}, as syscontainers-lint did: a system image's build directory checked (its Dockerfile's
 * labels, the {@code /exports} templates and manifest, the files git tracks).
 */
public final class LintCommand {
  private Path directory;

  LintCommand() {}

  /** The directory holding the Dockerfile and the templates (required). */
  public LintCommand setDirectory(Path directory) {
    this.directory = directory;
    return this;
  }

  /** The findings; empty when all is good. */
  public List<LintFinding> call() throws SystemContainersException {
    Session.required(directory, "lint", "directory");
    try {
      return Linter.lint(directory, new GitCommand(new ProcessRunner())).stream()
          .map(f -> new LintFinding(f.level() == Linter.Level.ERROR, f.location(), f.message()))
          .toList();
    } catch (UnitGenException e) {
      throw new SystemContainersException("lint", directory.toString(), e.getMessage(), 1, e);
    }
  }
}
