package io.github.syscontainers.lifecycle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where things live on this host: the alternate root ({@code /} normally), the checkout directory, the OSTree
 * repository, and the directories units and tmpfiles confs go to. Paths here are host paths; {@link #inRoot} gives
 * the path as the target system sees it, which is what generated files record.
 *
 * @param root the root the host paths are under ({@code --root DIR}, or {@code /})
 * @param checkoutDir the checkout directory (deployments and the {@code NAME} symlinks)
 * @param repo the OSTree repository
 * @param unitDir where {@code NAME.service} goes
 * @param tmpfilesDir where {@code NAME.conf} goes
 * @param rootMode whether this is a root (system) or user layout
 */
public record Layout(Path root, Path checkoutDir, Path repo, Path unitDir, Path tmpfilesDir, boolean rootMode) {
  public Layout {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(checkoutDir, "checkoutDir");
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(unitDir, "unitDir");
    Objects.requireNonNull(tmpfilesDir, "tmpfilesDir");
  }

  /** Returns true when installing into an alternate root. */
  public boolean alternateRoot() {
    return !root.equals(root.getRoot());
  }

  /** Returns {@code path} as the target system sees it: relative to the alternate root when under it. */
  public String inRoot(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    if (alternateRoot() && abs.startsWith(root)) {
      return "/" + root.relativize(abs);
    }
    return abs.toString();
  }

  /** Returns the unit file of container {@code name}. */
  public Path unitFile(String name) {
    return unitDir.resolve(name + ".service");
  }

  /** Returns the tmpfiles conf of container {@code name}. */
  public Path tmpfilesFile(String name) {
    return tmpfilesDir.resolve(name + ".conf");
  }
}
