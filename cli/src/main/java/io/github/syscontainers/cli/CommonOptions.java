package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every verb that touches host paths shares (the facade is opened on them, see {@link Facade}). */
final class CommonOptions {
  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "Operate on an alternate root directory, as systemctl --root (image builders, tests).")
  Path root;

  @Option(names = "--storage", paramLabel = "STORAGE", description = "Only 'ostree' is supported (atomic's flag).")
  String storage;

  @Option(names = "--debug", description = "Log protocol detail and print stack traces.")
  boolean debug;

  Environment environment() {
    return Environment.current();
  }

  void checkStorage() throws LifecycleException {
    if (storage != null && !storage.equals("ostree")) {
      throw new LifecycleException(
          "The storage backend '" + storage + "' is not available.  Try with an alternate storage with --storage "
              + "if available.");
    }
  }
}
