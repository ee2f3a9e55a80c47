package io.github.syscontainers.lifecycle.host;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the OCI runtime for {@code run}: in a bundle directory, with this process's stdin, stdout and stderr, so the
 * user talks to the container directly, or (for a program or a test) with stdin empty and the output captured.
 * Thread-safe.
 */
public final class InteractiveRunner {
  private static final Logger LOG = LoggerFactory.getLogger(InteractiveRunner.class);

  /** Where a run's standard streams go. */
  public enum Stdio {
    /** This process's own: the user talks to the container. */
    INHERIT,
    /** stdin empty, stdout and stderr kept and returned. */
    CAPTURE
  }

  /** Whether stdin and stdout are a terminal, so the container should get one. */
  public static boolean onTerminal() {
    return System.console() != null;
  }

  /** Whether a run with {@code stdio} should get a terminal. */
  public static boolean terminal(Stdio stdio) {
    return stdio == Stdio.INHERIT && onTerminal();
  }

  public int run(List<String> argv, Path directory) throws IOException {
    return run(argv, directory, Stdio.INHERIT).exitCode();
  }

  /** Runs {@code argv} in {@code directory}; the output is in the result when captured (empty otherwise). */
  public CommandRunner.Result run(List<String> argv, Path directory, Stdio stdio) throws IOException {
    LOG.debug("running {} in {}", argv, directory);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(directory.toFile());
    if (stdio == Stdio.INHERIT) {
      return new CommandRunner.Result(waitFor(pb.inheritIO().start(), argv), "", "");
    }
    // files, not pipes: a container that writes much to both streams cannot block on a full pipe
    Path out = Files.createTempFile("run-out", ".txt");
    Path err = Files.createTempFile("run-err", ".txt");
    try {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      int status = waitFor(pb.start(), argv);
      return new CommandRunner.Result(status, Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static int waitFor(Process p, List<String> argv) throws IOException {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while running " + argv.get(0));
    }
  }
}
