package io.github.syscontainers.junit;

import io.github.syscontainers.api.Installed;
import io.github.syscontainers.api.Ran;
import io.github.syscontainers.api.SystemContainers;
import io.github.syscontainers.api.SystemContainersException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A system container installed for a test into a throwaway root: what was generated for it, read back from disk at
 * each call (so it follows updates and rollbacks made through {@link #system()}), and the facade on its root for
 * further calls.
 */
public final class ContainerUnderTest {
  private final String name;
  private final Path root;
  private final SystemContainers system;

  ContainerUnderTest(String name, Path root, SystemContainers system) {
    this.name = name;
    this.root = root;
    this.system = system;
  }

  public String name() {
    return name;
  }

  /** The alternate root it is installed in (its units are under {@code etc/systemd/system}). */
  public Path root() {
    return root;
  }

  /** The facade on this root: update, roll back, install more. */
  public SystemContainers system() {
    return system;
  }

  /** Its active deployment as it is now. */
  public Installed installed() throws SystemContainersException {
    return system.container(name);
  }

  public Path rootfs() throws SystemContainersException {
    return installed().rootfs();
  }

  public String configJson() throws SystemContainersException {
    return installed().configJson();
  }

  public Optional<String> unit() throws SystemContainersException {
    return installed().unit();
  }

  public Optional<String> tmpfiles() throws SystemContainersException {
    return installed().tmpfiles();
  }

  /** The deployment's {@code info} file. */
  public String info() throws SystemContainersException {
    return installed().info();
  }

  /**
   * Runs the container once with the OCI runtime ({@code runc}, or {@code RUNC_PATH}; root needed), its own process or
   * {@code command}, on its read-only rootfs with its config.json, and returns how it ended and what it printed. When
   * its service runs (a real host), the command runs in it ({@code runc exec}) instead.
   */
  public Ran run(String... command) throws SystemContainersException {
    return system.run().setTarget(name).setCommand(List.of(command)).setCaptureOutput(true).call();
  }
}
