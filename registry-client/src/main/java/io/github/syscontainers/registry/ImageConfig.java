package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an image config syscontainers uses: platform, DiffIDs, labels and the process defaults.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">OCI image config</a>
 */
public record ImageConfig(
    String os,
    String architecture,
    List<Digest> diffIds,
    Map<String, String> labels,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    String user) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ImageConfig {
    diffIds = List.copyOf(diffIds);
    labels = Map.copyOf(labels);
    env = List.copyOf(env);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
  }

  /** Parses a config blob. */
  public static ImageConfig parse(byte[] data) throws RegistryException {
    try {
      JsonNode root = JSON.readTree(data);
      if (root == null || !root.isObject()) {
        throw new RegistryException("The image config is not a JSON object");
      }
      List<Digest> diffIds = new ArrayList<>();
      for (JsonNode d : root.path("rootfs").path("diff_ids")) {
        diffIds.add(Digest.parse(d.asText()));
      }
      JsonNode c = root.path("config");
      Map<String, String> labels = new LinkedHashMap<>();
      c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      return new ImageConfig(
          root.path("os").asText(""),
          root.path("architecture").asText(""),
          diffIds,
          labels,
          strings(c.path("Env")),
          strings(c.path("Entrypoint")),
          strings(c.path("Cmd")),
          c.path("WorkingDir").asText(""),
          c.path("User").asText(""));
    } catch (IOException e) {
      throw new RegistryException("The image config is not valid JSON: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("The image config has an invalid DiffID: " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(v -> out.add(v.asText()));
    return out;
  }
}
