package io.github.syscontainers.unitgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Upgrades the pre-1.0 forms that templates of the atomic era carry and that the OCI runtime-spec schema (and in
 * part runc 1.x) reject, without changing what the container gets:
 *
 * <ul>
 *   <li>{@code linux.devices: null} is dropped (null and absent mean the same);
 *   <li>a device {@code fileMode} that includes the file-type bits ({@code 020666}) keeps only its permission bits,
 *       since the type comes from the device's {@code type};
 *   <li>a flat {@code process.capabilities} list (ociVersion 0.x) becomes the object form with that list in every
 *       set, which is what runc 0.x applied it to.
 * </ul>
 *
 * {@code rootfsPropagation} values {@code rslave}, {@code rprivate}, … are left alone: runc accepts them and
 * rewriting them would drop the recursive flag.
 */
final class LegacyConfig {
  private LegacyConfig() {}

  /** Upgrades {@code config} in place; returns true when something changed. */
  static boolean upgrade(JsonNode config) {
    if (!config.isObject()) {
      return false;
    }
    boolean changed = false;
    JsonNode linux = config.path("linux");
    if (linux.isObject()) {
      ObjectNode l = (ObjectNode) linux;
      if (l.has("devices") && l.get("devices").isNull()) {
        l.remove("devices");
        changed = true;
      }
      for (JsonNode d : l.path("devices")) {
        if (d.isObject() && d.path("fileMode").canConvertToInt() && d.path("fileMode").asInt() > 0777) {
          ((ObjectNode) d).put("fileMode", d.path("fileMode").asInt() & 0777);
          changed = true;
        }
      }
    }
    JsonNode process = config.path("process");
    if (process.isObject() && process.path("capabilities").isArray()) {
      ArrayNode caps = (ArrayNode) process.get("capabilities");
      ObjectNode sets = ((ObjectNode) process).putObject("capabilities");
      for (String set : new String[] {"bounding", "effective", "inheritable", "permitted"}) {
        sets.set(set, caps.deepCopy());
      }
      changed = true;
    }
    return changed;
  }
}
