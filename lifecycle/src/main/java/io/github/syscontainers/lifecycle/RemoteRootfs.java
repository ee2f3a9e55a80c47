package io.github.syscontainers.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A remote rootfs ({@code --rootfs DIR}, §8.6): an existing exploded rootfs used instead of a checkout. DIR is either
 * a directory holding {@code rootfs/} (another container's deployment, say) or the rootfs itself (it has
 * {@code usr/}).
 *
 * @param argument the argument as given, recorded in info's {@code remote}
 * @param rootfs the rootfs directory, absolute and with symlinks resolved
 */
record RemoteRootfs(String argument, Path rootfs) {

  static RemoteRootfs resolve(String argument, NoticeListener out) throws LifecycleException {
    Path path;
    try {
      path = Path.of(argument).toRealPath();
    } catch (IOException e) {
      throw new LifecycleException("The container's rootfs is set to remote, but the remote rootfs does not exist");
    }
    if (Files.isDirectory(path.resolve("rootfs"))) {
      out.notice(Notice.info("The remote rootfs for this container is set to be " + path.resolve("rootfs")));
      return new RemoteRootfs(argument, path.resolve("rootfs"));
    }
    if (Files.isDirectory(path.resolve("usr"))) {
      return new RemoteRootfs(argument, path);
    }
    throw new LifecycleException("--remote was specified but the given location does not contain a rootfs");
  }
}
