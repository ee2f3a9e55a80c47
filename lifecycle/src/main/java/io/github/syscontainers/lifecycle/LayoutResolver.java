package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.LinkProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the checkout directory, repository and unit directories as atomic did (§2.4): environment variables first
 * ({@code ATOMIC_OSTREE_CHECKOUT_PATH}, {@code ATOMIC_OSTREE_REPO}, taken as host paths), then {@code atomic.conf}
 * ({@code checkout_path}, {@code ostree_repository}, inside the root), then the defaults of root or user mode.
 * With {@code --root DIR}, defaults and configuration paths are under DIR.
 */
public final class LayoutResolver {
  private LayoutResolver() {}

  /** Resolves the layout. */
  public static Layout resolve(Environment env, Optional<Path> alternateRoot) throws LifecycleException {
    Path root = alternateRoot.map(p -> p.toAbsolutePath().normalize()).orElse(Path.of("/"));
    Path confFile = env.get("ATOMIC_CONF").map(Path::of).orElse(under(root, "/etc/atomic.conf"));
    AtomicConf conf = AtomicConf.read(confFile);
    boolean rootMode = env.isRoot();
    Path userData =
        env.get("XDG_DATA_HOME").map(Path::of).orElse(env.home().resolve(".local/share"));

    Path checkout =
        env.get("ATOMIC_OSTREE_CHECKOUT_PATH")
            .map(Path::of)
            .or(() -> conf.get("checkout_path").map(p -> under(root, p)))
            .orElse(rootMode ? under(root, "/var/lib/containers/atomic") : userData.resolve("containers/atomic"));
    checkout = checkout.toAbsolutePath().normalize();

    Optional<Path> repo = env.get("ATOMIC_OSTREE_REPO").map(Path::of);
    if (repo.isEmpty() && !rootMode) {
      repo = Optional.of(userData.resolve("containers/atomic/repo"));
    }
    if (repo.isEmpty()) {
      repo = conf.get("ostree_repository").map(p -> under(root, p));
    }
    if (repo.isEmpty()) {
      Path hostRepo = under(root, "/ostree/repo");
      Path storage = checkout.resolve(".storage");
      try {
        if (Files.isRegularFile(hostRepo.resolve("config")) && LinkProbe.canHardLink(hostRepo, storage)) {
          repo = Optional.of(hostRepo);
        }
      } catch (IOException e) {
        // not usable: fall back to the repository under the checkout directory
      }
    }
    Path repoPath = repo.orElse(checkout.resolve(".storage/ostree")).toAbsolutePath().normalize();

    Path unitDir = rootMode ? under(root, "/etc/systemd/system") : env.home().resolve(".config/systemd/user");
    Path tmpfilesDir = rootMode ? under(root, "/etc/tmpfiles.d") : userData.resolve("containers/tmpfiles");
    return new Layout(root, checkout, repoPath, unitDir, tmpfilesDir, rootMode);
  }

  private static Path under(Path root, String absolute) {
    return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute).normalize();
  }
}
