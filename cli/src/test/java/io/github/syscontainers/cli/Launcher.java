package io.github.syscontainers.cli;

import io.github.syscontainers.fixtures.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the real {@code ./syscontainers} launcher, as users do, with a clean environment. */
final class Launcher {
  static final Path TOP = findTop();

  private Launcher() {}

  private static Path findTop() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isExecutable(p.resolve("syscontainers"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("Cannot find the ./syscontainers launcher above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static Exec.Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return exec(List.of(), env, null, args);
  }

  /** Runs the launcher with {@code input} on its standard input, as a person answering a prompt. */
  static Exec.Result answer(String input, String... args) throws IOException, InterruptedException {
    return exec(List.of(), Map.of(), input, args);
  }

  static Exec.Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  /**
   * Runs the launcher in a network namespace of its own ({@code unshare --net}, root only), as on an air-gapped
   * host: no name resolves, no address but an unconfigured loopback exists, so any attempt to reach a registry fails.
   */
  static Exec.Result runOffline(String... args) throws IOException, InterruptedException {
    return exec(List.of("unshare", "--net"), Map.of(), null, args);
  }

  private static Exec.Result exec(List<String> prefix, Map<String, String> env, String input, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(TOP.resolve("syscontainers").toString());
    cmd.addAll(List.of(args));
    Map<String, String> e = new HashMap<>();
    for (String v : List.of("ATOMIC_OSTREE_REPO", "ATOMIC_OSTREE_CHECKOUT_PATH", "ATOMIC_CONF", "RUNC_PATH")) {
      e.put(v, null);
    }
    e.putAll(env);
    return Exec.run(cmd, TOP, e, input);
  }

  /** Returns the non-empty lines of a text. */
  static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isBlank()).toList();
  }
}
