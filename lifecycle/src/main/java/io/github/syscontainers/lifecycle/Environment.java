package io.github.syscontainers.lifecycle;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The process environment and host facts the library reads, injected so tests control them (no
 * {@code System.getenv} deep in the library).
 *
 * @param variables environment variables
 * @param uid the effective uid
 * @param gid the effective gid
 * @param home the user's home directory
 * @param atomicConf the path of {@code atomic.conf} ({@code $ATOMIC_CONF} or {@code /etc/atomic.conf})
 */
public record Environment(Map<String, String> variables, int uid, int gid, Path home, Path atomicConf) {
  public Environment {
    variables = Map.copyOf(variables);
  }

  /** Returns the current process's environment. */
  public static Environment current() {
    Map<String, String> env = System.getenv();
    int uid = 0;
    int gid = 0;
    try {
      uid = (Integer) java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      gid = (Integer) java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      uid = "root".equals(System.getProperty("user.name")) ? 0 : 1000;
      gid = uid;
    }
    Path conf = Path.of(env.getOrDefault("ATOMIC_CONF", "/etc/atomic.conf"));
    return new Environment(env, uid, gid, Path.of(System.getProperty("user.home")), conf);
  }

  /** Returns a variable's non-empty value. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isEmpty());
  }

  /** Returns true when running as root. */
  public boolean isRoot() {
    return uid == 0;
  }
}
