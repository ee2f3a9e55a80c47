package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.function.Function;

/**
 * Writes the files of directory destinations ({@code oci:}, {@code dir:}) whole or not at all: each to a temporary
 * name beside it, synced, then renamed into place.
 */
final class BlobFiles {
  private BlobFiles() {}

  /** Counts and digests (SHA-256) what flows through it. */
  static final class Measured extends FilterInputStream {
    private final MessageDigest sha = Digest.newSha256();
    private long size;

    Measured(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        sha.update(b, off, n);
        size += n;
      }
      return n;
    }

    @Override
    public long skip(long n) {
      return 0; // every byte must be digested
    }

    long size() {
      return size;
    }

    Digest digest() {
      return Digest.sha256(sha.digest());
    }
  }

  /** Writes {@code in} to {@code target} (unless it exists), from a temporary file renamed into place. */
  static void write(Path target, InputStream in) throws IOException {
    Path tmp = temp(target);
    try {
      copy(in, tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code in}, whose digest is learnt as it flows, to the file {@code nameOf} gives for that digest.
   *
   * @return its descriptor, with {@code mediaType}
   */
  static Descriptor writeNew(Path dir, String mediaType, InputStream in, Function<Digest, Path> nameOf)
      throws IOException {
    Path tmp = dir.resolve(".new-blob.tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
    try {
      Measured m = new Measured(in);
      copy(m, tmp);
      Descriptor d = Descriptor.of(mediaType, m.digest(), m.size());
      Path target = nameOf.apply(d.digest());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return d;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Replaces {@code target} with {@code bytes}, then syncs its directory. */
  static void replace(Path target, byte[] bytes) throws IOException {
    write(target, new java.io.ByteArrayInputStream(bytes));
    syncDirectory(target.getParent());
  }

  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static Path temp(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
  }

  private static void copy(InputStream in, Path tmp) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[1 << 16];
      ByteBuffer bb = ByteBuffer.wrap(buf);
      int n;
      while ((n = in.read(buf)) >= 0) {
        bb.clear().limit(n);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
      }
      ch.force(false);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(tmp + " exists; another writer may be writing the same blob. Try again when it is done,"
          + " or remove " + tmp + " if none is", e);
    }
  }
}
