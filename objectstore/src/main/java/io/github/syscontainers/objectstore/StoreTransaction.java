package io.github.syscontainers.objectstore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The writes of an {@link ImageStore} grouped as ostree groups them in a transaction: objects and commits are written
 * as they come, their refs are staged; publishing makes every object durable with one {@code syncfs}, then writes the
 * staged refs. So no ref on disk ever names an object that is not on disk yet, and a process that reads its own
 * staged refs through the store (an install checking out the image it has just pulled) need not wait for the
 * {@code syncfs}: it {@link #publishInBackground() publishes in the background} and {@link #publish() waits} only
 * before it depends on the refs being durable.
 *
 * <p>Holds the repository lock shared, taken by the thread that began it, from its start to {@link #close()}, which
 * publishes what is staged (the layers imported before a failure included, so a later pull skips them) and must be
 * called by that thread. Thread-safe otherwise.
 */
public final class StoreTransaction implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreTransaction.class);

  private final OstreeRepository repo;
  private final RepoLock lock;
  private final Runnable onClose;
  private final Map<String, ObjectId> staged = new LinkedHashMap<>();
  private CompletableFuture<Void> publishing;
  private boolean closed;

  StoreTransaction(OstreeRepository repo, RepoLock lock, Runnable onClose) {
    this.repo = repo;
    this.lock = lock;
    this.onClose = onClose;
  }

  /** The commit staged for {@code ref}, if any. */
  synchronized Optional<ObjectId> staged(String ref) {
    return Optional.ofNullable(staged.get(ref));
  }

  /** Stages {@code ref}; the commit object must be written already. */
  synchronized void stage(String ref, ObjectId commit) {
    RefStore.validate(ref);
    if (publishing != null) {
      throw new IllegalStateException("The transaction on " + repo.path() + " is publishing; nothing can be staged");
    }
    staged.put(ref, commit);
  }

  /** Starts publishing on a thread of its own and returns at once; {@link #publish()} and {@link #close()} wait. */
  public synchronized void publishInBackground() {
    if (publishing != null) {
      return;
    }
    if (closed) {
      throw new IllegalStateException("The transaction on " + repo.path() + " is closed");
    }
    publishing = new CompletableFuture<>();
    Map<String, ObjectId> refs = new LinkedHashMap<>(staged);
    CompletableFuture<Void> done = publishing;
    new Thread(() -> write(refs, done), "publish " + repo.path().getFileName()).start();
  }

  /** Makes the objects durable and writes the staged refs; returns once they are on disk. */
  public void publish() throws ObjectStoreException {
    CompletableFuture<Void> p;
    synchronized (this) {
      if (publishing == null) {
        publishing = new CompletableFuture<>();
        write(new LinkedHashMap<>(staged), publishing);
      }
      p = publishing;
    }
    await(p);
  }

  /** Publishes what is staged, if not yet done, and releases the repository lock. */
  @Override
  public void close() throws ObjectStoreException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      publish();
    } finally {
      try {
        lock.close();
      } finally {
        onClose.run();
      }
    }
  }

  /** Syncs the objects, then writes {@code refs}; completes {@code done} with the outcome. */
  private void write(Map<String, ObjectId> refs, CompletableFuture<Void> done) {
    try {
      if (!refs.isEmpty()) { // else nothing was pulled: no object waits to be made durable
        long t = System.nanoTime();
        repo.syncObjects();
        long synced = System.nanoTime();
        for (Map.Entry<String, ObjectId> r : refs.entrySet()) {
          repo.setRef(r.getKey(), r.getValue());
        }
        LOG.debug(
            "published {} refs of {}: objects synced in {} ms, refs written in {} ms", refs.size(), repo.path(),
            (synced - t) / 1_000_000, (System.nanoTime() - synced) / 1_000_000);
      }
      done.complete(null);
    } catch (Throwable e) {
      done.completeExceptionally(e);
    }
  }

  private static void await(CompletableFuture<Void> p) throws ObjectStoreException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          p.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true; // the refs must be on disk, or known not to be, before anything goes on
        }
      }
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ObjectStoreException) {
        throw (ObjectStoreException) c;
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new ObjectStoreException("Publishing the refs failed: " + c, c);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
