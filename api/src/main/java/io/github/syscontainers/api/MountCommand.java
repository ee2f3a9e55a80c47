package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Mounter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code syscontainers mount IMAGE|NAME DIR} and {@code umount DIR}: an image's (or a container's) tree put in an
 * empty directory for inspection, and taken away again.
 */
public final class MountCommand {
  private final Session session;
  private String source;
  private Path directory;

  MountCommand(Session session) {
    this.session = session;
  }

  /** The image or container (required to mount). */
  public MountCommand setSource(String imageOrContainer) {
    this.source = imageOrContainer;
    return this;
  }

  /** The directory (required): empty, to mount; one a mount filled, to unmount. */
  public MountCommand setDirectory(Path directory) {
    this.directory = directory;
    return this;
  }

  /** Mounts. */
  public void call() throws SystemContainersException {
    Session.required(source, "mount", "image or container");
    Session.required(directory, "mount", "directory");
    try {
      new Mounter(session.layout(), Edge.real(session.layout()), Clock.systemUTC(), session.registries())
          .mount(source, directory);
    } catch (LifecycleException e) {
      throw Session.failure("mount", source, e);
    }
  }

  /** {@code umount DIR}: empties the directory a mount filled. */
  public void unmount() throws SystemContainersException {
    Session.required(directory, "umount", "directory");
    try {
      new Mounter(session.layout(), Edge.real(session.layout()), Clock.systemUTC()).umount(directory);
    } catch (LifecycleException e) {
      throw Session.failure("umount", directory.toString(), e);
    }
  }
}
