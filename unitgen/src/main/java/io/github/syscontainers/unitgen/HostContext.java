package io.github.syscontainers.unitgen;

import java.util.Objects;

/**
 * The facts about the host that template values come from, injected so tests control them: root or user mode, ids,
 * the user-mode directories, the capability count and the path of the running tool.
 *
 * @param rootMode true as root (euid 0)
 * @param uid the real uid ({@code HOST_UID})
 * @param gid the real gid ({@code HOST_GID})
 * @param home the user's home, for user-mode defaults
 * @param xdgRuntimeDir {@code $XDG_RUNTIME_DIR}, or empty
 * @param lastCap the kernel's {@code cap_last_cap}
 * @param toolPath the value of {@code $ATOMIC}: the path of the running tool
 * @param userName the login name, whose /etc/subuid and /etc/subgid ranges a user container maps
 */
public record HostContext(
    boolean rootMode,
    int uid,
    int gid,
    String home,
    String xdgRuntimeDir,
    int lastCap,
    String toolPath,
    String userName) {
  public HostContext {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(xdgRuntimeDir, "xdgRuntimeDir");
    Objects.requireNonNull(toolPath, "toolPath");
    Objects.requireNonNull(userName, "userName");
  }

  /** {@code /run}, or the user's runtime directory. */
  public String runDirectory() {
    if (rootMode) {
      return "/run";
    }
    return xdgRuntimeDir.isEmpty() ? "/run/user/" + uid : xdgRuntimeDir;
  }

  /** {@code /etc}, or {@code $HOME/.config}. */
  public String confDirectory() {
    return rootMode ? "/etc" : home + "/.config";
  }

  /** {@code /var/lib}, or {@code $HOME/.data} (sic, as atomic). */
  public String stateDirectory() {
    return rootMode ? "/var/lib" : home + "/.data";
  }
}
