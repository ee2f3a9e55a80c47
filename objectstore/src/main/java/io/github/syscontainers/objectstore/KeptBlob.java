package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A layer's compressed blob kept as it came while the layer is imported ({@code keep-blobs=true}): the bytes the
 * import reads are copied to a temporary file beside the kept blobs; once the import is done the rest of the blob is
 * read through, the copy's size and SHA-256 are checked against the layer's descriptor, and it is synced and renamed
 * to its digest's hex. An import that fails leaves nothing.
 *
 * <p>Not thread-safe: one per layer import.
 */
final class KeptBlob implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeptBlob.class);
  private final Path dir;
  private final Path tmp;
  private final FileChannel out;
  private final MessageDigest sha = Digest.newSha256();
  private InputStream teed;
  private long size;
  private boolean kept;

  private KeptBlob(Path dir, Path tmp, FileChannel out) {
    this.dir = dir;
    this.tmp = tmp;
    this.out = out;
  }

  static KeptBlob start(Path dir, Digest layer) throws ObjectStoreException {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + layer.hex() + ".tmp-" + ProcessHandle.current().pid() + "-"
          + Thread.currentThread().getId());
      Files.deleteIfExists(tmp);
      return new KeptBlob(dir, tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot keep the blob of layer " + layer + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** {@code blob}, with every byte read from it also written to the kept copy. */
  InputStream tee(InputStream blob) {
    teed = new FilterInputStream(blob) {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          copy(b, off, n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
          int r = read(buf, 0, (int) Math.min(buf.length, n - done));
          if (r < 0) {
            break;
          }
          done += r;
        }
        return done;
      }
    };
    return teed;
  }

  private void copy(byte[] b, int off, int n) throws IOException {
    sha.update(b, off, n);
    size += n;
    ByteBuffer bb = ByteBuffer.wrap(b, off, n);
    while (bb.hasRemaining()) {
      out.write(bb);
    }
  }

  /**
   * Reads the rest of the blob through, checks the copy against {@code layer}, and keeps it under its hex. A copy
   * that cannot be kept (a full disk, a copy that does not match) is only logged: the layer itself was imported, and
   * {@code save}/{@code push} then rebuild its tar as for a store that keeps no blobs.
   */
  void keep(Descriptor layer) {
    try {
      byte[] buf = new byte[1 << 16];
      while (teed.read(buf) >= 0) {
        // what the import left unread (a compressed stream's trailer, bytes after it) goes to the copy too
      }
      if (size != layer.size() || !layer.digest().matches(sha.digest())) {
        LOG.warn("The kept copy of layer {} is not the blob its descriptor names ({} bytes); not kept",
            layer.digest(), size);
        return;
      }
      out.force(true);
      out.close();
      Files.move(tmp, dir.resolve(layer.digest().hex()), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      kept = true;
    } catch (IOException e) {
      LOG.warn("Cannot keep the blob of layer {} in {}: {}", layer.digest(), dir, e.getMessage());
    }
  }

  @Override
  public void close() throws ObjectStoreException {
    try {
      out.close();
      if (!kept) {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot remove " + tmp + ": " + e.getMessage(), e);
    }
  }

  /** Removes the kept blobs of layers no longer stored (those not in {@code neededHex}), and leftovers of imports. */
  static void removeUnneeded(Path dir, Set<String> neededHex) throws ObjectStoreException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        boolean leftover = name.startsWith(".") && name.contains(".tmp-") && !aliveWriter(name);
        if (leftover || (!name.startsWith(".") && !neededHex.contains(name))) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot remove kept blobs in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether the process that named a temporary copy is still running. */
  private static boolean aliveWriter(String name) {
    String rest = name.substring(name.indexOf(".tmp-") + 5);
    int dash = rest.indexOf('-');
    try {
      return ProcessHandle.of(Long.parseLong(dash < 0 ? rest : rest.substring(0, dash))).isPresent();
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
