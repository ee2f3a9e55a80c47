package io.github.syscontainers.api;

import java.nio.file.Path;
import java.util.Optional;

/** skopeo's name for the store as a transport, as atomic used it: {@code ostree:NAME[@/ABSOLUTE/REPO]}. */
record StoreName(String name, Optional<Path> repo) {
  static final String PREFIX = "ostree:";

  static boolean is(String text) {
    return text.startsWith(PREFIX);
  }

  static StoreName parse(String text) throws SystemContainersException {
    String rest = text.substring(PREFIX.length());
    int at = rest.lastIndexOf("@/");
    String name = at < 0 ? rest : rest.substring(0, at);
    if (name.isEmpty()) {
      throw new SystemContainersException("copy", text, "Invalid image '" + text + "': write ostree:NAME[@/REPOSITORY],"
          + " NAME as images list shows it", 1, null);
    }
    return new StoreName(name, at < 0 ? Optional.empty() : Optional.of(Path.of(rest.substring(at + 1))));
  }
}
