package io.github.syscontainers.trust;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a configuration file whole or not at all: the new text goes to a new file beside it, is synced, takes
 * the old file's permissions (0644 for a new one), and is renamed over it; the directory is synced after. A reader
 * sees the old file or the new one, never a part, and a crash at any point leaves one of the two.
 */
final class ConfigFiles {
  private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

  private ConfigFiles() {}

  static void replace(Path file, String text) throws TrustException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + ".new-" + ProcessHandle.current().pid());
    boolean created = false;
    try {
      Files.createDirectories(dir);
      Set<PosixFilePermission> mode = NEW_FILE;
      try {
        mode = Files.getPosixFilePermissions(file);
      } catch (NoSuchFileException e) {
        // a new file
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        created = true;
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, mode);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw new TrustException("Cannot write " + file + ": " + tmp + " exists; another syscontainers may be changing it."
          + " Try again when it is done, or remove " + tmp + " if none is", e);
    } catch (IOException e) {
      throw new TrustException("Cannot write " + file + ": " + e.getMessage() + "; nothing was changed", e);
    } finally {
      if (created) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // left for the next attempt to report
        }
      }
    }
  }

  /** Removes {@code file} and syncs its directory. */
  static void remove(Path file) throws TrustException {
    try {
      Files.deleteIfExists(file);
      syncDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new TrustException("Cannot remove " + file + ": " + e.getMessage(), e);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
