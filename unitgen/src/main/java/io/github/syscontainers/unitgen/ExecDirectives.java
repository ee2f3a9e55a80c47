package io.github.syscontainers.unitgen;

/**
 * The start and stop commands atomic wrote into units, in both forms: with a pid file when the unit template uses
 * both {@code $EXEC_STOPPOST} and {@code $PIDFILE} (literally, without braces) and the runtime knows
 * {@code --pid-file}; the plain foreground form otherwise.
 */
public record ExecDirectives(String start, String stop, String startPre, String stopPost) {

  /**
   * Computes the directives.
   *
   * @param rootMode {@code --systemd-cgroup} is used only as root
   */
  public static ExecDirectives compute(
      String name, RuntimeFeatures runtime, String pidFile, String unitTemplate, boolean rootMode) {
    boolean templatePid = unitTemplate.contains("$EXEC_STOPPOST") && unitTemplate.contains("$PIDFILE");
    String cg = rootMode && runtime.systemdCgroup() ? " --systemd-cgroup" : "";
    String rt = runtime.path();
    if (templatePid && runtime.pidFile()) {
      // atomic's format puts two spaces after the runtime: "{rt} {cg} run -d …" with cg starting with a space
      return new ExecDirectives(
          rt + " " + cg + " run -d --pid-file " + pidFile + " '" + name + "'", "", "", rt + " delete '" + name + "'");
    }
    return new ExecDirectives(rt + cg + " run '" + name + "'", rt + cg + " kill '" + name + "'", "", "");
  }
}
