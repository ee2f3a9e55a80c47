package io.github.syscontainers.registry;

/** Tells a full disk from other write failures, for messages that say what to do. */
final class DiskSpace {
  private DiskSpace() {}

  /**
   * The error of a write to a destination that failed: what, where, why, and what to do when the disk is full.
   */
  static RegistryException writeFailed(String what, String destination, java.io.IOException e) {
    return new RegistryException("Cannot write " + what + " to " + destination + ": " + e.getMessage()
        + (isFull(e) ? "; the disk is full: free space or write elsewhere" : ""), e);
  }

  /** True when {@code e} or one of its causes is ENOSPC (or EDQUOT, a quota reached). */
  static boolean isFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
