package io.github.syscontainers.unitgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An image's {@code /exports} directory in a checked-out rootfs. Files are read without following symlinks, so an
 * image cannot make the host read {@code /etc/shadow} as a template.
 */
public final class ExportsDir {
  private static final long MAX_TEMPLATE = 4L << 20;

  private final Path dir;

  public ExportsDir(Path dir) {
    this.dir = dir;
  }

  /** Returns the directory. */
  public Path path() {
    return dir;
  }

  /** Returns true when the rootfs has an {@code exports} directory (a real one, not a symlink). */
  public boolean exists() {
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
  }

  /** Returns {@code exports/NAME}'s text if it is a regular file. */
  public Optional<String> read(String name) throws UnitGenException {
    if (!exists()) {
      return Optional.empty();
    }
    Path p = dir.resolve(name);
    if (Files.isSymbolicLink(p)) {
      throw new UnitGenException("The image's " + p + " is a symlink; templates must be regular files");
    }
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try (SeekableByteChannel ch = Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (ch.size() > MAX_TEMPLATE) {
        throw new UnitGenException("The image's " + p + " is larger than " + MAX_TEMPLATE + " bytes");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // fill
      }
      return Optional.of(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UnitGenException("Tried to read " + p + " but failed: " + e.getMessage(), e);
    }
  }

  /** Returns the path of {@code exports/NAME}, for messages. */
  public Path file(String name) {
    return dir.resolve(name);
  }
}
