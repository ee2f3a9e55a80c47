package io.github.syscontainers.unitgen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Computes the values templates are filled with, in atomic's order and precedence (§7.2): overridable built-ins
 * only when absent, then the manifest's defaults only when absent, then the forced values that always win.
 * Starting from the values stored at install keeps them on update, so the UUID stays stable.
 */
public final class TemplateValues {
  /** Values atomic always computes itself; {@code --set} cannot change them. */
  public static final Set<String> FORCED =
      Set.of(
          "DESTDIR", "NAME", "EXEC_START", "EXEC_STOP", "EXEC_STARTPRE", "EXEC_STOPPOST", "HOST_UID", "HOST_GID",
          "IMAGE_ID", "IMAGE_NAME");

  /** Built-ins that {@code --set} may override. */
  public static final Set<String> OVERRIDABLE =
      Set.of("RUN_DIRECTORY", "STATE_DIRECTORY", "CONF_DIRECTORY", "UUID", "PIDFILE", "ALL_PROCESS_CAPABILITIES");

  private TemplateValues() {}

  /** What the image and the deployment contribute. */
  public record Inputs(
      String name,
      String destDir,
      String imageName,
      String imageId,
      ExportsManifest manifest,
      RuntimeFeatures runtime,
      String unitTemplate) {}

  /**
   * Amends {@code start} (the {@code --set} values, or the stored values with {@code --set} on top) into the full
   * map of values. Values are strings, except {@code HOST_UID} and {@code HOST_GID}, which are integers as in
   * atomic's info file.
   */
  public static Map<String, Object> amend(
      Map<String, ?> start, Inputs in, HostContext host, Supplier<String> uuid) {
    Map<String, Object> v = new LinkedHashMap<>(start);
    v.putIfAbsent("RUN_DIRECTORY", host.runDirectory());
    v.putIfAbsent("PIDFILE", v.get("RUN_DIRECTORY") + "/container-" + in.name() + ".pid");
    v.putIfAbsent("CONF_DIRECTORY", host.confDirectory());
    v.putIfAbsent("STATE_DIRECTORY", host.stateDirectory());
    v.putIfAbsent("ALL_PROCESS_CAPABILITIES", Capabilities.templateValue(host.lastCap()));
    v.putIfAbsent("RUNTIME", in.runtime().path());
    v.putIfAbsent("ATOMIC", host.toolPath());
    in.manifest().defaultValues().forEach(v::putIfAbsent);
    if (!v.containsKey("UUID")) {
      v.put("UUID", uuid.get());
    }
    v.put("DESTDIR", in.destDir());
    v.put("NAME", in.name());
    ExecDirectives exec =
        ExecDirectives.compute(
            in.name(), in.runtime(), String.valueOf(v.get("PIDFILE")), in.unitTemplate(), host.rootMode());
    v.put("EXEC_START", exec.start());
    v.put("EXEC_STOP", exec.stop());
    v.put("EXEC_STARTPRE", exec.startPre());
    v.put("EXEC_STOPPOST", exec.stopPost());
    v.put("HOST_UID", host.uid());
    v.put("HOST_GID", host.gid());
    v.put("IMAGE_NAME", in.imageName());
    v.put("IMAGE_ID", in.imageId());
    return v;
  }

  /**
   * Parses {@code --set K=V} arguments, with atomic's message for a value without {@code =} or without a name. A
   * name that no template could hold ({@code $NAME} takes ASCII letters, digits and {@code _}, not starting with a
   * digit, as Python's string.Template) is refused by name, rather than set and silently never used; the one
   * exception is {@value #AUTO_UPDATE_KEY}, a setting podman users know, kept with the values so updates carry it.
   */
  /** The auto-update policy's {@code --set} name, as podman's label. */
  public static final String AUTO_UPDATE_KEY = "io.containers.autoupdate";

  public static Map<String, String> parseSet(Iterable<String> args) throws UnitGenException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw new UnitGenException("Invalid value '" + a + "'.  Expected form NAME=VALUE");
      }
      String name = a.substring(0, eq);
      if (!IDENTIFIER.matcher(name).matches() && !name.equals(AUTO_UPDATE_KEY)) {
        throw new UnitGenException(
            "Invalid value '" + a + "': '" + name + "' cannot be a template variable; a name takes ASCII letters,"
                + " digits and '_', and does not start with a digit");
      }
      out.put(name, a.substring(eq + 1));
    }
    return out;
  }

  private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
}
