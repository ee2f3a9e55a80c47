package io.github.syscontainers.lifecycle;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes files whole or not at all: a temporary file in the same directory, fsync, rename. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the text into the file as it is produced, without holding the whole. */
  interface Producer {
    void writeTo(Writer out) throws IOException;
  }

  static void write(Path target, String text) throws IOException {
    write(target, out -> out.write(text));
  }

  static void write(Path target, Producer text) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      try (FileChannel ch =
              FileChannel.open(
                  tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
          Writer out = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8), 64 << 10)) {
        text.writeTo(out);
        out.flush();
        ch.force(true);
      }
      Files.setAttribute(tmp, "unix:mode", 0644);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
