package io.github.syscontainers.objectstore;

import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Recognises a full disk in a failure, wherever in its causes the kernel's {@code ENOSPC} is (a writer thread's,
 * the kept bytes of a blob, a pipe whose writer stopped), so that it is reported as what it is rather than as a
 * broken stream.
 */
final class DiskFull {
  private static final String ENOSPC = "No space left on device";

  private DiskFull() {}

  /** Whether {@code t}, its causes or what they suppressed is a full disk. */
  static boolean in(Throwable t) {
    return in(t, new IdentityHashMap<>());
  }

  private static boolean in(Throwable t, Map<Throwable, Boolean> seen) {
    if (t == null || seen.put(t, Boolean.TRUE) != null) {
      return false;
    }
    String m = t instanceof FileSystemException ? ((FileSystemException) t).getReason() : t.getMessage();
    if (m != null && (m.contains(ENOSPC) || m.contains("ENOSPC"))) {
      return true;
    }
    for (Throwable s : t.getSuppressed()) {
      if (in(s, seen)) {
        return true;
      }
    }
    return in(t.getCause(), seen);
  }

  /** The failure to report: the disk of {@code repo} filled while {@code layer} was imported. */
  static ObjectStoreException whileImporting(Path repo, String layer, Throwable cause) {
    return new ObjectStoreException(
        "The disk holding " + repo + " is full (" + ENOSPC + ") while importing layer " + layer + "; free space"
            + " there, run `syscontainers images prune` to remove what this pull left behind, and pull again",
        cause);
  }
}
