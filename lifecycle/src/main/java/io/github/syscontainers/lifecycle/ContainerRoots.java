package io.github.syscontainers.lifecycle;

import io.github.syscontainers.unitgen.InfoFile;
import java.nio.file.Path;

/**
 * The root a container was installed into ({@code /}, or {@code --root DIR}), as its {@code info} records it, and the
 * check that a later verb works on the same one: a container installed with {@code --root R} and reached again
 * through the same checkout directory without it (by {@code ATOMIC_OSTREE_CHECKOUT_PATH}, say) would otherwise have
 * its unit, tmpfiles conf and state directories written on the host running the command.
 */
final class ContainerRoots {
  private ContainerRoots() {}

  /** What the info of a deployment of {@code layout} records as its root. */
  static String recorded(Layout layout) {
    return layout.root().toAbsolutePath().normalize().toString();
  }

  /** Refuses, naming the flag to pass, when {@code info} records another root than {@code layout}'s. */
  static void check(InfoFile info, String name, Layout layout) throws LifecycleException {
    if (info.root().isEmpty()) {
      return; // written by atomic, or before the root was recorded: nothing to compare
    }
    String installed = info.root().get();
    String given = recorded(layout);
    if (Path.of(installed).equals(Path.of(given))) {
      return;
    }
    String remedy = installed.equals("/") ? "run it without --root" : "run it with --root " + installed;
    throw new LifecycleException(
        "The container " + name + " was installed into the root " + installed + ", but this command works on "
            + given + "; " + remedy + ", so that its unit and files are written where it lives");
  }
}
