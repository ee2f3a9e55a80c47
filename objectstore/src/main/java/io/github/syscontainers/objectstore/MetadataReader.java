package io.github.syscontainers.objectstore;

import io.github.syscontainers.platform.CryptoProvider;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads metadata objects (commits, dirtrees, dirmeta: a few kilobytes each, a thousand or more per checkout) and
 * hashes them, with as little work per object as it takes: one open, reads into a buffer the thread keeps, one close,
 * and a SHA-256 the thread keeps. {@code Files.readAllBytes} and a {@code MessageDigest.getInstance} per object took
 * twice the time for the 1,075 dirtrees of the bench image, with the JIT compiler the launcher runs.
 */
final class MetadataReader {
  private static final int BUFFER = 64 * 1024;
  private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);
  private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(CryptoProvider::jdkSha256);

  private MetadataReader() {}

  /** Reads the whole file; {@link NoSuchFileException} when there is none. */
  static byte[] read(Path p) throws IOException {
    byte[] buf = BUFFERS.get();
    try (FileInputStream in = new FileInputStream(p.toFile())) {
      int len = 0;
      while (true) {
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2); // a large commit: this call's alone
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          return Arrays.copyOf(buf, len);
        }
        len += n;
      }
    } catch (FileNotFoundException e) {
      // the stream's exception says only "(No such file or directory)" or "(Permission denied)" in its message
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new NoSuchFileException(p.toString());
      }
      throw e;
    }
  }

  /** The SHA-256 of {@code data}, from the JDK's implementation (as fast as a native one for a few kilobytes). */
  static byte[] sha256(byte[] data) {
    return DIGESTS.get().digest(data);
  }
}
