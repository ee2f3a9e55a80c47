package io.github.syscontainers.unitgen;

import io.github.syscontainers.model.PythonJson;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * Produces and checks a container's {@code config.json}: the image's {@code exports/config.json} verbatim, its
 * {@code config.json.template} substituted, or a default built in Java from what {@code runc spec} gives (read-only
 * root at {@code rootfs}, the image config's command, environment and working directory).
 */
public final class ConfigJson {
  static final String FILE = "config.json";
  static final String TEMPLATE = "config.json.template";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigJson() {}

  /** Returns the text of config.json for this image, before validation. */
  public static String render(ExportsDir exports, Map<String, ?> values, ProcessDefaults defaults)
      throws UnitGenException {
    var verbatim = exports.read(FILE);
    if (verbatim.isPresent()) {
      return verbatim.get();
    }
    var template = exports.read(TEMPLATE);
    if (template.isPresent()) {
      String text = TemplateSubstitutor.substitute(template.get(), values, exports.file(TEMPLATE).toString());
      return upgradeLegacy(text);
    }
    return PythonJson.dumps(defaultConfig(defaults));
  }

  /** Points {@code root.path} at a remote rootfs, as atomic rewrote it for {@code --rootfs} (indent 4). */
  public static String withRootPath(String text, String rootfs) throws UnitGenException {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.path("root").isObject()) {
        throw new UnitGenException("Invalid config.json file in given remote location: " + rootfs + ".");
      }
      ((ObjectNode) node.get("root")).put("path", rootfs);
      return PythonJson.dumps(node);
    } catch (JsonProcessingException e) {
      throw new UnitGenException("Invalid config.json file in given remote location: " + rootfs + ".", e);
    }
  }

  /**
   * Adapts a container's config.json for {@code run} (§8.5, §8.9): {@code root.path} made absolute when given,
   * {@code process.args} replaced when a command is given, {@code process.terminal} set to whether stdin is a
   * terminal. Re-serialized as atomic did (indent 4).
   */
  public static String forRun(String text, Optional<String> rootPath, List<String> args, boolean terminal)
      throws UnitGenException {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.path("process").isObject() || !node.path("root").isObject()) {
        throw new UnitGenException("The container's config.json has no process or root; reinstall the container");
      }
      rootPath.ifPresent(p -> ((ObjectNode) node.get("root")).put("path", p));
      ObjectNode process = (ObjectNode) node.get("process");
      if (!args.isEmpty()) {
        com.fasterxml.jackson.databind.node.ArrayNode a = process.putArray("args");
        args.forEach(a::add);
      }
      process.put("terminal", terminal);
      return PythonJson.dumps(node);
    } catch (JsonProcessingException e) {
      throw new UnitGenException("The container's config.json is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Rewrites a substituted template only when it carries a legacy form (see {@link LegacyConfig}). */
  private static String upgradeLegacy(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && LegacyConfig.upgrade(node) ? PythonJson.dumps(node) : text;
    } catch (JsonProcessingException e) {
      return text; // validate() reports it with line and column
    }
  }

  /**
   * Returns the variables of {@code config.json.template} whose values cannot sit inside a JSON string: those with
   * a quote, a backslash or a control character. {@code ALL_PROCESS_CAPABILITIES} is meant to be spliced into an
   * array, quotes and all, and is never a suspect.
   */
  public static List<String> suspects(ExportsDir exports, Map<String, ?> values) throws UnitGenException {
    var template = exports.read(TEMPLATE);
    List<String> out = new ArrayList<>();
    if (template.isEmpty() || exports.read(FILE).isPresent()) {
      return out;
    }
    for (String name : TemplateSubstitutor.placeholders(template.get())) {
      Object v = values.get(name);
      if (v == null || name.equals("ALL_PROCESS_CAPABILITIES")) {
        continue;
      }
      if (String.valueOf(v).chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
        out.add(name);
      }
    }
    return out;
  }

  /** Returns runc's default spec with atomic's changes and the image's process defaults. */
  public static ObjectNode defaultConfig(ProcessDefaults defaults) throws UnitGenException {
    ObjectNode spec;
    try (InputStream in = ConfigJson.class.getResourceAsStream("runc-spec.json")) {
      spec = (ObjectNode) JSON.readTree(in);
    } catch (IOException | ClassCastException | NullPointerException e) {
      throw new UnitGenException("The built-in default config.json is missing from the syscontainers jar", e);
    }
    ObjectNode root = (ObjectNode) spec.path("root");
    root.put("path", "rootfs");
    root.put("readonly", true);
    ObjectNode process = (ObjectNode) spec.path("process");
    process.put("terminal", false);
    ArrayNode args = process.putArray("args");
    if (defaults.args().isEmpty()) {
      args.add("run.sh");
    } else {
      defaults.args().forEach(args::add);
    }
    if (!defaults.env().isEmpty()) {
      ArrayNode env = process.putArray("env");
      defaults.env().forEach(env::add);
    }
    if (!defaults.cwd().isEmpty()) {
      process.put("cwd", defaults.cwd());
    }
    ObjectNode user = (ObjectNode) process.path("user");
    defaults.uid().ifPresent(u -> user.put("uid", u));
    defaults.gid().ifPresent(g -> user.put("gid", g));
    return spec;
  }

  /**
   * Checks a config as atomic did: valid JSON, {@code root.readonly} true, {@code root.path} {@code rootfs}
   * (unless {@code remoteRootfs}). Returns the bind-mount sources that do not exist on the host, which become
   * tmpfiles lines.
   *
   * @param path names the file in messages
   * @param hostRoot the root that bind sources are looked up under ({@code /}, or an alternate root)
   */
  public static List<String> validate(
      String text, String path, boolean remoteRootfs, Path hostRoot, List<String> suspects)
      throws UnitGenException {
    JsonNode config;
    try {
      config = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
      String why =
          suspects.isEmpty()
              ? " Fix the image's config.json.template."
              : " The value of " + String.join(", ", suspects)
                  + " has a quote, backslash or control character, which breaks JSON there; set it without them.";
      throw new UnitGenException("Invalid json in configuration file: " + path + "." + where + why, e);
    }
    if (config == null || !config.isObject()) {
      throw new UnitGenException("Invalid json in configuration file: " + path + ".");
    }
    if (!suspects.isEmpty()) {
      // valid JSON is not enough: 'a\b' reads back as 'a' and a backspace, another value than the one given
      throw new UnitGenException(
          "The value of " + String.join(", ", suspects) + " has a quote, backslash or control character, which"
              + " config.json (" + path + ") would not hold as given; set it without them.");
    }
    if (config.size() == 0) {
      return List.of();
    }
    if (!config.path("root").path("readonly").asBoolean(false)) {
      throw new UnitGenException("Invalid configuration file.  Only readonly images are supported");
    }
    if (!remoteRootfs && !"rootfs".equals(config.path("root").path("path").asText())) {
      throw new UnitGenException("Invalid configuration file.  Path must be 'rootfs'");
    }
    List<String> missing = new ArrayList<>();
    for (JsonNode m : config.path("mounts")) {
      String source = m.path("source").asText("");
      if (m.path("type").asText("").contains("bind") && !source.isEmpty()) {
        Path onHost = hostRoot.resolve(source.startsWith("/") ? source.substring(1) : source);
        if (!Files.exists(onHost)) {
          missing.add(source);
        }
      }
    }
    return missing;
  }
}
