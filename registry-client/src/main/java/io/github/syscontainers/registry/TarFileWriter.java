package io.github.syscontainers.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a tar file entry by entry, straight from the streams that feed it: nothing is extracted to a temporary
 * directory first. The tar grows under a temporary name beside the target ({@code .NAME.tmp-PID}); {@link #commit}
 * ends it, syncs it and renames it over the target, so the target is complete or absent (SIGKILL, a full disk, an
 * error in the middle leave at most the temporary file, which {@link #close} removes when it can, and the next
 * writer of the same target removes when its process is gone).
 *
 * <p>An entry whose size is known only at its end (a layer compressed on the way) gets a header written in place
 * when it ends: the header is one 512-byte block whatever the size (star's base-256 numbers past 8 GiB).
 *
 * <p>Headers come from Commons Compress. Not thread-safe.
 */
final class TarFileWriter implements AutoCloseable {
  private static final int BLOCK = 512;
  private static final long MTIME = 0;

  private final Path target;
  private final Path tmp;
  private static final long SYNC_STEP = 32L << 20;

  private final FileChannel out;
  private boolean committed;
  /** Syncs what is written so far on a thread of its own, every {@link #SYNC_STEP} bytes, one sync at a time. */
  private final java.util.concurrent.ExecutorService syncer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tar sync");
    t.setDaemon(true);
    return t;
  });
  private java.util.concurrent.Future<?> syncing = java.util.concurrent.CompletableFuture.completedFuture(null);
  private long unsynced;

  private TarFileWriter(Path target, Path tmp, FileChannel out) {
    this.target = target;
    this.tmp = tmp;
    this.out = out;
  }

  /** Starts a tar that will replace {@code target} when committed. */
  static TarFileWriter create(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(
          String.valueOf(dir), null, "the directory to write " + target.getFileName() + " in does not exist");
    }
    String prefix = "." + target.getFileName() + ".tmp-";
    removeAbandoned(dir, prefix);
    Path tmp = dir.resolve(prefix + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new TarFileWriter(target, tmp, ch);
  }

  /** Removes what writers that were killed left: temporary tars named for processes that are gone. */
  private static void removeAbandoned(Path dir, String prefix) throws IOException {
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (n.startsWith(prefix) && n.substring(prefix.length()).matches("[0-9]{1,10}")
            && ProcessHandle.of(Long.parseLong(n.substring(prefix.length()))).isEmpty()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Adds a directory entry. */
  void directory(String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    e.setMode(040755);
    e.setModTime(MTIME);
    write(ByteBuffer.wrap(header(e)));
  }

  /** Adds a file whose bytes are all in hand. */
  void file(String name, byte[] bytes) throws IOException {
    write(ByteBuffer.wrap(header(fileEntry(name, bytes.length))));
    write(ByteBuffer.wrap(bytes));
    pad(bytes.length);
  }

  /**
   * Adds a file of {@code size} bytes from {@code in}, which must hold exactly that many.
   *
   * @throws IOException when it holds fewer or more
   */
  void file(String name, long size, InputStream in) throws IOException {
    write(ByteBuffer.wrap(header(fileEntry(name, size))));
    long n = copy(in);
    if (n != size) {
      throw new IOException("the entry " + name + " was to be " + size + " bytes but its source gave " + n);
    }
    pad(size);
  }

  /**
   * Adds a file whose size and name are known only once {@code in} ends: a placeholder header, the bytes, then the
   * header written in place with the name {@code nameOf} gives for what the stream turned out to be. When
   * {@code nameOf} returns null the entry is dropped (the tar is cut back to where it began).
   *
   * @return the number of bytes the entry holds, or -1 when it was dropped
   */
  long streamedFile(InputStream in, Function<Long, String> nameOf) throws IOException {
    long start = out.position();
    write(ByteBuffer.allocate(BLOCK));
    long size = copy(in);
    String name = nameOf.apply(size);
    if (name == null) {
      out.truncate(start);
      out.position(start);
      return -1;
    }
    pad(size);
    long end = out.position();
    byte[] h = header(fileEntry(name, size));
    if (h.length != BLOCK) {
      throw new IOException("the tar header of " + name + " does not fit one block");
    }
    out.position(start);
    write(ByteBuffer.wrap(h));
    out.position(end);
    return size;
  }

  /**
   * Adds a blob whose digest is learnt as it flows, named by what {@code nameOf} gives for its digest; null drops
   * it (the archive holds it already).
   *
   * @return its descriptor, with {@code mediaType}
   */
  io.github.syscontainers.model.Descriptor streamedBlob(String mediaType, InputStream in,
      Function<io.github.syscontainers.model.Digest, String> nameOf) throws IOException {
    BlobFiles.Measured m = new BlobFiles.Measured(in);
    io.github.syscontainers.model.Digest[] digest = new io.github.syscontainers.model.Digest[1];
    streamedFile(m, size -> nameOf.apply(digest[0] = m.digest()));
    return io.github.syscontainers.model.Descriptor.of(mediaType, digest[0], m.size());
  }

  /** Ends the tar (two zero blocks), syncs it, renames it over the target and syncs the directory. */
  void commit() throws IOException {
    write(ByteBuffer.allocate(2 * BLOCK));
    awaitSync();
    syncer.shutdown();
    out.force(true);
    out.close();
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    committed = true;
    try (FileChannel d = FileChannel.open(tmp.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  Path target() {
    return target;
  }

  /** Discards the tar unless it was committed. */
  @Override
  public void close() throws IOException {
    syncer.shutdownNow();
    if (!committed) {
      out.close();
      Files.deleteIfExists(tmp);
    }
  }

  private static TarArchiveEntry fileEntry(String name, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100644);
    e.setSize(size);
    e.setModTime(MTIME);
    return e;
  }

  private static byte[] header(TarArchiveEntry e) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(BLOCK * 3);
    TarArchiveOutputStream t = new TarArchiveOutputStream(b, BLOCK, "UTF-8");
    t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
    t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    t.putArchiveEntry(e);
    t.flush();
    return b.toByteArray(); // the stream is left open: closing it would want the entry's bytes
  }

  private long copy(InputStream in) throws IOException {
    byte[] buf = new byte[1 << 16];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (n == 0) {
        continue;
      }
      bb.clear().limit(n);
      write(bb);
      total += n;
    }
    return total;
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      write(ByteBuffer.allocate(BLOCK - rest));
    }
  }

  private void write(ByteBuffer b) throws IOException {
    unsynced += b.remaining();
    while (b.hasRemaining()) {
      out.write(b);
    }
    if (unsynced >= SYNC_STEP && syncing.isDone()) {
      // the data written so far goes to the disk while more is written, so that the sync of commit() finds little
      // left to do (bench/copy.sh: its last sync took 80-95 ms of a 141 MB archive's copy)
      unsynced = 0;
      syncing = syncer.submit(() -> {
        out.force(false);
        return null;
      });
    }
  }

  /** Waits for a sync in progress; its failure is the commit's. */
  private void awaitSync() throws IOException {
    try {
      syncing.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while the tar was synced");
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
    }
  }
}
