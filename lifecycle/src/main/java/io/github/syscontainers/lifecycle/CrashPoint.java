package io.github.syscontainers.lifecycle;

import java.io.IOException;

/**
 * For crash tests only: with {@code SYSCONTAINERS_CRASH_AT=STEP} in the environment, the process kills itself with
 * SIGKILL when it reaches {@code STEP} ({@code auto-update}'s {@code fetched}, {@code deploying}, {@code switched},
 * {@code health-wait}, {@code rolling-back}), as a power cut or the OOM killer would: no finally block, no shutdown
 * hook runs. {@code STEP:pause} stops there instead, for a test that kills the whole host under it. Unset, it does
 * nothing.
 */
final class CrashPoint {
  static final String VARIABLE = "SYSCONTAINERS_CRASH_AT";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CrashPoint.class);

  private CrashPoint() {}

  static void reach(Environment env, String step) {
    String at = env.get(VARIABLE).orElse("");
    if (at.equals(step + ":pause")) {
      // the host is to be killed under it: wait
      LOG.warn("{}={}: paused at {}", VARIABLE, at, step);
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Runtime.getRuntime().halt(137);
      }
    }
    if (!at.equals(step)) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
      Thread.sleep(60_000); // the signal is on its way
    } catch (IOException | InterruptedException e) {
      Runtime.getRuntime().halt(137);
    }
    Runtime.getRuntime().halt(137);
  }
}
