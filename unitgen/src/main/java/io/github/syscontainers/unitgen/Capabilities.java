package io.github.syscontainers.unitgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Computes {@code ALL_PROCESS_CAPABILITIES} in Java from {@code /proc/sys/kernel/cap_last_cap}, where atomic ran
 * {@code capsh}: every capability the kernel knows, by name, in kernel order, formatted to sit inside a JSON array.
 * Capabilities newer than this table have no name and are left out, as atomic left out capsh's numeric names.
 */
public final class Capabilities {
  /** Linux capability names, indexed by number (see capability.h). */
  static final List<String> NAMES =
      List.of(
          "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
          "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
          "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
          "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
          "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
          "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
          "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
          "CAP_CHECKPOINT_RESTORE");

  /** The number of names atomic had built in (CAP_CHOWN … CAP_AUDIT_READ). */
  static final int ATOMIC_BUILT_IN = 38;

  private Capabilities() {}

  /** Returns the names of capabilities 0..lastCap that have names. */
  public static List<String> names(int lastCap) {
    return NAMES.subList(0, Math.max(0, Math.min(lastCap + 1, NAMES.size())));
  }

  /** Reads {@code cap_last_cap}; when it cannot be read, assumes atomic's built-in list. */
  public static int lastCap(Path capLastCap) {
    // procfs reports size 0, and Files.readString then reads a single byte: read the stream to its end
    try (var in = Files.newInputStream(capLastCap)) {
      return Integer.parseInt(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return ATOMIC_BUILT_IN - 1;
    }
  }

  /** Returns the template value: {@code "CAP_CHOWN",\n"CAP_…"\n} (quoted, comma and newline separated). */
  public static String templateValue(int lastCap) {
    StringBuilder b = new StringBuilder();
    List<String> names = names(lastCap);
    for (int i = 0; i < names.size(); i++) {
      b.append('"').append(names.get(i)).append('"').append(i + 1 < names.size() ? ",\n" : "\n");
    }
    return b.toString();
  }
}
