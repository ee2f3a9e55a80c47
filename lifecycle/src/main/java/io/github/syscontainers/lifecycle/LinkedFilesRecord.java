package io.github.syscontainers.lifecycle;

import io.github.syscontainers.objectstore.ObjectId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The deployment's record of the rootfs files hard-linked to repository objects, written at checkout and read by
 * {@code verify}: {@code NAME.N/linked-files}, one {@code CHECKSUM PATH} line per file, with {@code \} and newline in
 * paths escaped as {@code \\} and {@code \n}.
 */
final class LinkedFilesRecord {
  static final String FILE = "linked-files";

  private LinkedFilesRecord() {}

  static void write(Path deployment, Map<String, ObjectId> files) throws IOException {
    AtomicFiles.write(
        deployment.resolve(FILE),
        out -> {
          for (Map.Entry<String, ObjectId> e : files.entrySet()) {
            out.append(e.getValue().hex()).append(' ').append(escape(e.getKey())).append('\n');
          }
        });
  }

  /** Empty for deployments without a record (made by atomic or before the record existed). */
  static Optional<Map<String, ObjectId>> read(Path deployment) throws LifecycleException {
    Path file = deployment.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Map<String, ObjectId> files = new LinkedHashMap<>();
    try {
      int n = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        n++;
        int sp = line.indexOf(' ');
        if (sp != 64 || !ObjectId.isValid(line.substring(0, sp)) || !line.startsWith("/", sp + 1)) {
          throw new LifecycleException(
              "Line " + n + " of " + file + " is not 'CHECKSUM /PATH'; delete the file to verify against the"
                  + " image's layers instead");
        }
        String path = unescape(line.substring(sp + 1));
        if (!Path.of(path).normalize().toString().equals(path) || path.equals("/")) {
          // repair links files at these paths: none may lead out of the rootfs
          throw new LifecycleException(
              "Line " + n + " of " + file + " names '" + path + "', which is not a plain path under the rootfs;"
                  + " delete the file to verify against the image's layers instead");
        }
        files.put(path, new ObjectId(line.substring(0, sp)));
      }
    } catch (IOException e) {
      throw new LifecycleException("Tried to read " + file + " but failed: " + e.getMessage(), e);
    }
    return Optional.of(files);
  }

  static String escape(String path) {
    return path.replace("\\", "\\\\").replace("\n", "\\n");
  }

  static String unescape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        sb.append(next == 'n' ? '\n' : next);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
