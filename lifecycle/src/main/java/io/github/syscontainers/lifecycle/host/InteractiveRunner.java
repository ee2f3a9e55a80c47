package io.github.syscontainers.lifecycle.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the OCI runtime for {@code run}: in a bundle directory, with this process's stdin, stdout and stderr, so the
 * user talks to the container directly; returns its exit status. Thread-safe.
 */
public final class InteractiveRunner {
  private static final Logger LOG = LoggerFactory.getLogger(InteractiveRunner.class);

  /** Whether stdin and stdout are a terminal, so the container should get one. */
  public static boolean onTerminal() {
    return System.console() != null;
  }

  public int run(List<String> argv, Path directory) throws IOException {
    LOG.debug("running {} in {}", argv, directory);
    Process p = new ProcessBuilder(argv).directory(directory.toFile()).inheritIO().start();
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while running " + argv.get(0));
    }
  }
}
