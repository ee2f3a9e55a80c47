package io.github.syscontainers.lifecycle.host;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.unitgen.RuntimeFeatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Finds the OCI runtime and what it supports, as atomic probed it: {@code RUNTIME --version} must run,
 * {@code --pid-file} in {@code RUNTIME run --help}, {@code --systemd-cgroup} in {@code RUNTIME --help}.
 */
public final class RuntimeProbe {
  private static final List<String> DEFAULT_PATHS =
      List.of("/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc");

  private RuntimeProbe() {}

  /** Returns {@code $RUNC_PATH}, else the first runc found in the usual places, else {@code /usr/bin/runc}. */
  public static String defaultRuntime(Optional<String> runcPath) {
    if (runcPath.isPresent()) {
      return runcPath.get();
    }
    for (String p : DEFAULT_PATHS) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return DEFAULT_PATHS.get(0);
  }

  /**
   * Probes {@code runtime}.
   *
   * @param required false for an alternate root, where the build host's runtime does not matter: a missing
   *     runtime is then assumed to support both options, as every runc since 1.0 does
   */
  public static RuntimeFeatures probe(CommandRunner runner, String runtime, boolean required)
      throws LifecycleException {
    // the three at once: this thread would only wait for each process in turn. The two help texts on threads of
    // their own while this one runs --version, which alone decides whether the runtime is there (wall profiles of
    // warm installs of the bench image: 94-100 ms in this probe with the version asked for first, 58-66 ms now)
    CompletableFuture<CommandRunner.Result> runHelp = help(runner, List.of(runtime, "run", "--help"));
    CompletableFuture<CommandRunner.Result> help = help(runner, List.of(runtime, "--help"));
    try {
      CommandRunner.Result version = runner.run(List.of(runtime, "--version"));
      if (version.exitCode() != 0) {
        throw new IOException("exit " + version.exitCode());
      }
    } catch (IOException e) {
      if (!required) {
        return new RuntimeFeatures(runtime, true, true);
      }
      throw new LifecycleException("Cannot install the container: the runtime " + runtime + " is not installed");
    }
    try {
      boolean cgroup = help.join().stdout().contains("--systemd-cgroup");
      boolean pidFile = runHelp.join().stdout().contains("--pid-file");
      return new RuntimeFeatures(runtime, pidFile, cgroup);
    } catch (CompletionException e) {
      Throwable c = e.getCause() instanceof UncheckedIOException ? e.getCause().getCause() : e.getCause();
      throw probeFailed(runtime, c == null ? e : c);
    }
  }

  /** Runs {@code argv} on a thread of its own. */
  private static CompletableFuture<CommandRunner.Result> help(CommandRunner runner, List<String> argv) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return runner.run(argv);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        r -> {
          // a daemon: when the runtime is missing, nothing waits for it, and it must not hold the JVM
          Thread t = new Thread(r, "runtime-probe");
          t.setDaemon(true);
          t.start();
        });
  }

  private static LifecycleException probeFailed(String runtime, Throwable e) {
    return new LifecycleException("Tried to probe the runtime " + runtime + " but failed: " + e.getMessage(), e);
  }
}
