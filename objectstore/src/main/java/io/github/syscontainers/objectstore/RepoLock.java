package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The repository lock: a POSIX record lock on {@code REPO/.lock}, which conflicts with the OFD lock {@code ostree}
 * takes there. Writers hold it shared, pruning and deleting hold it exclusive, exactly as ostree does. Because one
 * process may hold only one POSIX lock per file, holders inside this JVM share one OS lock, counted.
 *
 * <p>Thread-safe. Close it to release.
 */
public final class RepoLock implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<Path, Holder> HOLDERS = new ConcurrentHashMap<>();

  private final Holder holder;
  private final boolean exclusive;
  private boolean closed;

  private RepoLock(Holder holder, boolean exclusive) {
    this.holder = holder;
    this.exclusive = exclusive;
  }

  /** Takes the lock shared, as a writer. */
  public static RepoLock shared(Path repo) throws ObjectStoreException {
    Holder h = HOLDERS.computeIfAbsent(repo.toAbsolutePath().normalize(), Holder::new);
    h.rw.readLock().lock();
    try {
      h.acquireShared();
    } catch (ObjectStoreException | RuntimeException e) {
      h.rw.readLock().unlock();
      throw e;
    }
    return new RepoLock(h, false);
  }

  /** Takes the lock exclusive, to prune or delete. */
  public static RepoLock exclusive(Path repo) throws ObjectStoreException {
    Holder h = HOLDERS.computeIfAbsent(repo.toAbsolutePath().normalize(), Holder::new);
    h.rw.writeLock().lock();
    try {
      h.acquireExclusive();
    } catch (ObjectStoreException | RuntimeException e) {
      h.rw.writeLock().unlock();
      throw e;
    }
    return new RepoLock(h, true);
  }

  @Override
  public synchronized void close() throws ObjectStoreException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      holder.release(exclusive);
    } finally {
      if (exclusive) {
        holder.rw.writeLock().unlock();
      } else {
        holder.rw.readLock().unlock();
      }
    }
  }

  private static final class Holder {
    final Path repo;
    final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    FileChannel channel;
    FileLock lock;
    int shared;
    int exclusiveDepth;

    Holder(Path repo) {
      this.repo = repo;
    }

    synchronized void acquireShared() throws ObjectStoreException {
      if (lock == null) {
        lockFile(true);
      }
      shared++;
    }

    synchronized void acquireExclusive() throws ObjectStoreException {
      // the JVM write lock guarantees no other holder here; the same thread may re-enter
      if (exclusiveDepth++ == 0) {
        try {
          lockFile(false);
        } catch (ObjectStoreException e) {
          exclusiveDepth--;
          throw e;
        }
      }
    }

    private void lockFile(boolean isShared) throws ObjectStoreException {
      Path file = repo.resolve(".lock");
      try {
        channel =
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((lock = channel.tryLock(0, Long.MAX_VALUE, isShared)) == null) {
          if (System.nanoTime() > deadline) {
            channel.close();
            throw new ObjectStoreException(
                "Tried to lock the repository " + repo + " but another process (ostree or syscontainers) held "
                    + file + " for " + WAIT.toSeconds() + " s; wait for it to finish and try again");
          }
          Thread.sleep(50);
        }
      } catch (IOException e) {
        throw new ObjectStoreException("Tried to lock " + file + " but failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ObjectStoreException("Interrupted while waiting for the lock on " + file, e);
      }
    }

    synchronized void release(boolean exclusive) throws ObjectStoreException {
      if (exclusive) {
        exclusiveDepth--;
      } else {
        shared--;
      }
      if (shared > 0 || exclusiveDepth > 0 || lock == null) {
        return;
      }
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        throw new ObjectStoreException("Failed to release the lock on " + repo.resolve(".lock"), e);
      } finally {
        lock = null;
        channel = null;
      }
    }
  }
}
