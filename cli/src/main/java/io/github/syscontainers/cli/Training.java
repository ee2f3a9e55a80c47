package io.github.syscontainers.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Issue 35: the commands a packaged runtime's ahead-of-time cache is trained on, in one JVM ({@code -XX:AOTCacheOutput}
 * records one run): help, the version, and an install, list and uninstall of {@code ARCHIVE} (an oci-archive) in a
 * throwaway root, then a pull of it from a registry on 127.0.0.1 ({@link TrainingRegistry}). The package's postinst
 * runs it once, on the host, so the cache matches the installed paths. {@code Training ARCHIVE}.
 */
public final class Training {
  private Training() {}

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("syscontainers-training");
    PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      String r = root.toString();
      String[][] commands = {
        {"--version"}, {"--help"}, {"install", "--help"},
        {"install", "--system", "--root", r, "--name", "train", "oci-archive:" + args[0]},
        {"images", "list", "--root", r}, {"containers", "list", "-a", "--root", r},
        {"uninstall", "--root", r, "train"}, {"images", "prune", "--root", r}
      };
      for (String[] c : commands) {
        Main.run(c);
      }
      // and a pull of the same image from a registry on 127.0.0.1: the HTTP client's and registry client's classes.
      // One cache for both (bench, 10 alternating rounds): the sample's install from a local registry 339 ms instead
      // of 430, from an oci-archive 303.5 instead of 295, --version 94 instead of 89; 6 MB more on disk
      try (TrainingRegistry registry = TrainingRegistry.serve(Path.of(args[0]), "train")) {
        String r2 = root.resolve("registry").toString();
        Main.run("pull", "--tls-verify=false", "--root", r2, "docker://" + registry.reference());
        Main.run("images", "list", "--root", r2);
      }
    } finally {
      System.setOut(out);
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
