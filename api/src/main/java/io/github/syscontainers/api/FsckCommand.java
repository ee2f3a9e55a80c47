package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Maintenance;
import io.github.syscontainers.objectstore.RepositoryChecker;
import java.time.Clock;

/**
 * {@code syscontainers fsck [--repair]}: every object the repository's refs reach re-hashed, every layer with a
 * tar-split record rebuilt and compared with its DiffID; with {@code --repair}, corrupt objects and the refs that
 * reach them removed, to be pulled again.
 */
public final class FsckCommand {
  private final Session session;
  private boolean repair;

  FsckCommand(Session session) {
    this.session = session;
  }

  public FsckCommand setRepair(boolean repair) {
    this.repair = repair;
    return this;
  }

  public Checked call() throws SystemContainersException {
    try {
      RepositoryChecker.Report r = new Maintenance(session.layout(), Edge.real(session.layout()), session.notices(),
          Clock.systemUTC()).fsck(repair);
      return new Checked(session.layout().repo(), r.objectsChecked(),
          r.problems().stream().map(RepositoryChecker.Problem::describe).toList(), r.removedRefs(), r.linksMade(),
          repair && !r.problems().isEmpty());
    } catch (LifecycleException e) {
      throw Session.failure("fsck", null, e);
    }
  }
}
