package io.github.syscontainers.checkout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides whether a checkout can hard-link from the repository, as atomic decided: the two directories must be on the
 * same device and a trial link of the repository's {@code config} must succeed.
 */
public final class LinkProbe {
  private LinkProbe() {}

  /** Returns true when files of {@code repo} can be hard-linked into {@code dir} (created if missing). */
  public static boolean canHardLink(Path repo, Path dir) throws IOException {
    Files.createDirectories(dir);
    Object repoDev = Files.getAttribute(repo, "unix:dev");
    Object dirDev = Files.getAttribute(dir, "unix:dev");
    if (!repoDev.equals(dirDev)) {
      return false;
    }
    Path probe = dir.resolve("samefs-check-" + ProcessHandle.current().pid());
    try {
      Files.createLink(probe, repo.resolve("config"));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
