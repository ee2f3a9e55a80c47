package io.github.syscontainers.cli;

import io.github.syscontainers.api.LintFinding;
import io.github.syscontainers.api.SystemContainers;
import io.github.syscontainers.api.SystemContainersException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers lint DIR}: check a system image's build directory, as syscontainers-lint did. */
@Command(name = "lint", description = "Check a system image build directory (Dockerfile, /exports templates).")
final class LintCommand implements Callable<Integer> {
  private static final String RED = "\u001b[1;31m";
  private static final String YELLOW = "\u001b[1;33m";
  private static final String GREEN = "\u001b[1;32m";
  private static final String RESET = "\u001b[0m";

  @Parameters(paramLabel = "DIR", description = "The directory holding the Dockerfile and the templates.")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws SystemContainersException {
    List<LintFinding> findings = SystemContainers.lint().setDirectory(dir).call();
    PrintWriter out = spec.commandLine().getOut();
    boolean tty = System.console() != null;
    if (findings.isEmpty()) {
      out.println(tty ? GREEN + "All Good!" + RESET : "All Good!");
      return 0;
    }
    for (LintFinding f : findings) {
      String color = f.error() ? RED : YELLOW;
      out.println(tty ? color + f + RESET : f.toString());
    }
    return findings.stream().anyMatch(LintFinding::error) ? 1 : 0;
  }
}
