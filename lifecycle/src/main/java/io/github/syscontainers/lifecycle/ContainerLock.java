package io.github.syscontainers.lifecycle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Serialises changes to one container across processes: an exclusive lock on one byte of
 * {@code CHECKOUT/.syscontainers.lock}, chosen by the name's hash, so no per-container lock file is left behind. A
 * second command on the same name fails at once with a clear message instead of interleaving with the first;
 * commands on different names run side by side (two names whose hashes collide merely wait for each other).
 */
final class ContainerLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private ContainerLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static ContainerLock acquire(Path checkoutDir, String name) throws LifecycleException {
    Path file = checkoutDir.resolve(".syscontainers.lock");
    long slot = name.hashCode() & 0x7fffffffL;
    try {
      Files.createDirectories(checkoutDir);
      FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock(slot, 1, false);
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new LifecycleException(
            "Another syscontainers command is changing the container " + name + " right now; wait for it to finish"
                + " and try again");
      }
      return new ContainerLock(ch, l);
    } catch (IOException e) {
      throw new LifecycleException("Tried to lock " + file + " but failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }
}
