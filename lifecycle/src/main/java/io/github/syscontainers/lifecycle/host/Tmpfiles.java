package io.github.syscontainers.lifecycle.host;

import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;

/** {@code systemd-tmpfiles --create/--remove} of one conf file. */
public interface Tmpfiles {
  void create(Path conf) throws LifecycleException;

  void remove(Path conf) throws LifecycleException;
}
