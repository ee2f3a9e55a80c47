package io.github.syscontainers.objectstore;

import io.github.syscontainers.platform.NativeObjectFile;
import io.github.syscontainers.platform.OpenFlags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Gives a file or directory that a checkout made its owner, mode, xattrs and a modification time of 0 through one
 * descriptor, as ostree's checkout does: five system calls where the JDK makes nine (it opens the path again for the
 * mode, and again, with a stat, for the time). A checkout does this for every directory it makes.
 *
 * <p>Thread-safe.
 */
public final class NativeMetadata {

  private NativeMetadata() {}

  /** True when libc's calls are bound; else callers use the JDK's. */
  public static boolean available() {
    return NativeObjectFile.available();
  }

  /**
   * Applies owner (when {@code chown}), {@code mode}, xattrs and mtime 0 to {@code p}, in that order (chown clears
   * setuid), without following a symlink at {@code p}.
   */
  public static void apply(Path p, boolean chown, int uid, int gid, int mode, List<Xattr> xattrs)
      throws IOException {
    try (NativeObjectFile f = NativeObjectFile.open(p, OpenFlags.O_RDONLY | NativeObjectFile.O_NOFOLLOW)) {
      f.applyMetadata(chown, uid, gid, mode, Xattr.toMap(xattrs));
    } catch (IOException e) {
      throw new IOException("Tried to set the owner, mode and time of " + p + " but " + e.getMessage(), e);
    }
  }
}
