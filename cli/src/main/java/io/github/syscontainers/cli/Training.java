package io.github.syscontainers.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Issue 35: the commands a packaged runtime's ahead-of-time cache is trained on, in one JVM ({@code -XX:AOTCacheOutput}
 * records one run): help, the version, and an install, list and uninstall of {@code ARCHIVE} (an oci-archive) in a
 * throwaway root. The package's postinst runs it once, on the host, so the cache matches the installed paths.
 * {@code Training ARCHIVE}.
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
    } finally {
      System.setOut(out);
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
