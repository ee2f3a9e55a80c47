package io.github.syscontainers.unitgen;

import io.github.syscontainers.model.PythonJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * Rewrites a config.json for a user (non-root) container as atomic's {@code _configure_userns} did (§7.6): share
 * the host network, add a user namespace, drop {@code /sys} mounts for a read-only bind of the host's, add
 * {@code nodev,nosuid} to mounts outside {@code /dev}, drop device rules, and map the user (and the ranges of
 * {@code /etc/subuid} and {@code /etc/subgid}) when no mapping is given. Quirk kept: container gid 0 maps to the
 * user's uid, as atomic wrote it.
 */
public final class UserNamespace {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UserNamespace() {}

  /**
   * Rewrites {@code configText}.
   *
   * @param user the login name whose subuid/subgid lines apply
   * @param subuid lines of /etc/subuid ({@code USER:START:COUNT})
   * @param subgid lines of /etc/subgid
   */
  public static String rewrite(String configText, int uid, String user, List<String> subuid, List<String> subgid)
      throws UnitGenException {
    JsonNode root;
    try {
      root = JSON.readTree(configText);
    } catch (IOException e) {
      throw new UnitGenException("Invalid json in configuration file: config.json.", e);
    }
    if (!root.isObject() || !root.path("linux").isObject()) {
      throw new UnitGenException("The configuration has no linux section, which a user container needs");
    }
    ObjectNode linux = (ObjectNode) root.get("linux");
    ArrayNode namespaces = linux.withArray("namespaces");
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      if ("network".equals(namespaces.get(i).path("type").asText())) {
        namespaces.remove(i);
      }
    }
    boolean hasUser = false;
    for (JsonNode ns : namespaces) {
      hasUser |= "user".equals(ns.path("type").asText());
    }
    if (!hasUser) {
      namespaces.addObject().put("type", "user");
    }
    ArrayNode mounts = ((ObjectNode) root).withArray("mounts");
    ArrayNode kept = JSON.createArrayNode();
    for (JsonNode m : mounts) {
      String dest = m.path("destination").asText("");
      if (dest.startsWith("/sys")) {
        continue; // network namespace gone: a sysfs mount is not allowed, the host's is bound below
      }
      ObjectNode mount = (ObjectNode) m;
      ArrayNode options = mount.withArray("options");
      if (!dest.startsWith("/dev")) {
        for (String o : new String[] {"nodev", "nosuid"}) {
          if (!contains(options, o)) {
            options.add(o);
          }
        }
      }
      kept.add(mount);
    }
    ObjectNode sys = kept.addObject();
    sys.put("destination", "/sys");
    sys.put("type", "bind");
    sys.put("source", "/sys");
    ArrayNode sysOptions = sys.putArray("options");
    for (String o : new String[] {"rbind", "nosuid", "noexec", "nodev", "ro"}) {
      sysOptions.add(o);
    }
    ((ObjectNode) root).set("mounts", kept);
    if (linux.path("resources").isObject()) {
      ((ObjectNode) linux.get("resources")).remove("devices");
    }
    if (!linux.has("uidMappings")) {
      linux.set("uidMappings", mappings(uid, user, subuid));
    }
    if (!linux.has("gidMappings")) {
      linux.set("gidMappings", mappings(uid, user, subgid));
    }
    return PythonJson.dumps(root);
  }

  private static ArrayNode mappings(int uid, String user, List<String> ranges) {
    ArrayNode out = JSON.createArrayNode();
    ObjectNode self = out.addObject();
    self.put("containerID", 0);
    self.put("hostID", uid);
    self.put("size", 1);
    for (String line : ranges) {
      String[] parts = line.trim().split(":");
      if (parts.length == 3 && parts[0].equals(user)) {
        try {
          ObjectNode r = out.addObject();
          r.put("containerID", 1);
          r.put("hostID", Long.parseLong(parts[1]));
          r.put("size", Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
          // a malformed line grants nothing
          out.remove(out.size() - 1);
        }
      }
    }
    return out;
  }

  private static boolean contains(ArrayNode a, String v) {
    for (JsonNode n : a) {
      if (v.equals(n.asText())) {
        return true;
      }
    }
    return false;
  }
}
