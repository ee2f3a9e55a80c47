package io.github.syscontainers.lifecycle.host;

import java.io.IOException;
import java.util.List;

/** Runs programs at the edge (systemctl, systemd-tmpfiles, runc). Implementations must be thread-safe. */
public interface CommandRunner {

  /** What a program printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
    /** Returns the first non-empty line of stderr, or of stdout. */
    public String firstErrorLine() {
      for (String s : new String[] {stderr, stdout}) {
        for (String line : s.split("\n")) {
          if (!line.isBlank()) {
            return line.strip();
          }
        }
      }
      return "";
    }
  }

  /**
   * Runs {@code argv} with no input and waits for it.
   *
   * @throws IOException when the program cannot be started (not installed)
   */
  Result run(List<String> argv) throws IOException;

  /**
   * Runs {@code argv} and waits at most {@code timeout}; a program still running then is killed with everything it
   * started, and the result has exit status 124 (as {@code timeout(1)} gives). The default waits without a limit.
   */
  default Result run(List<String> argv, java.time.Duration timeout) throws IOException {
    return run(argv);
  }
}
