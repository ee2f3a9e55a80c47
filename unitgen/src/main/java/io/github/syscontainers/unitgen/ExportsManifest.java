package io.github.syscontainers.unitgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image's {@code /exports/manifest.json}: default template values and install settings.
 *
 * @param defaultValues values for template variables the user does not set (JSON values as text)
 * @param noContainerService install host files only: no unit, and the rootfs is removed
 * @param renameFiles host destination renames for {@code hostfs} entries (values are templates)
 * @param installedFilesTemplate host files substituted before copying
 * @param useLinks allow hard links for host files under {@code /usr/}
 * @param healthCheck ours: the command that says the service is healthy after an auto-update ({@code "healthCheck"})
 */
public record ExportsManifest(
    Map<String, String> defaultValues,
    boolean noContainerService,
    Map<String, String> renameFiles,
    List<String> installedFilesTemplate,
    boolean useLinks,
    Optional<HealthCheck> healthCheck) {

  /** The settings of an image without a manifest.json. */
  public static final ExportsManifest DEFAULT = new ExportsManifest(Map.of(), false, Map.of(), List.of(), true, Optional.empty());

  private static final ObjectMapper JSON = new ObjectMapper();

  public ExportsManifest {
    defaultValues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defaultValues));
    renameFiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(renameFiles));
    installedFilesTemplate = List.copyOf(installedFilesTemplate);
  }

  /** Parses manifest.json; invalid JSON fails with atomic's message naming the image. */
  public static ExportsManifest parse(String json, String imageName) throws UnitGenException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new UnitGenException("Invalid manifest.json file in image: " + imageName + ".", e);
    }
    if (root == null || !root.isObject()) {
      throw new UnitGenException("Invalid manifest.json file in image: " + imageName + ".");
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    root.path("defaultValues")
        .fields()
        .forEachRemaining(e -> defaults.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    Map<String, String> rename = new LinkedHashMap<>();
    root.path("renameFiles").fields().forEachRemaining(e -> rename.put(e.getKey(), e.getValue().asText()));
    List<String> templates = new ArrayList<>();
    root.path("installedFilesTemplate").forEach(n -> templates.add(n.asText()));
    return new ExportsManifest(
        defaults,
        root.path("noContainerService").asBoolean(false),
        rename,
        templates,
        root.path("useLinks").asBoolean(true),
        root.has("healthCheck")
            ? Optional.of(HealthCheck.fromJson(root.get("healthCheck"), "manifest.json of " + imageName))
            : Optional.empty());
  }
}
