package io.github.syscontainers.unitgen;

import io.github.syscontainers.model.PythonJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment's {@code info} file, with atomic's keys in atomic's order, written as Python's
 * {@code json.dumps(indent=4)} plus a newline, so atomic-era tools read it and atomic-era files read here. One key
 * is ours: {@code root}, the root the container was installed into ({@code /}, or {@code --root DIR}), absent in
 * files atomic wrote; and, only when set, {@code auto-update} (the container's auto-update policy, {@code registry} or
 * {@code local}) and {@code health-check} (the health check given at install, {@link HealthCheck#toJson}).
 */
public record InfoFile(
    String image,
    String revision,
    String ostreeCommit,
    long created,
    Map<String, Object> values,
    boolean hasContainerService,
    Map<String, String> installedFilesChecksum,
    List<String> installedFilesTemplate,
    Map<String, String> renameInstalledFiles,
    String systemPackage,
    Optional<String> remote,
    boolean useLinks,
    String runtime,
    Optional<String> root,
    Optional<String> autoUpdate,
    Optional<HealthCheck> healthCheck) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public InfoFile {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    installedFilesChecksum = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(installedFilesChecksum));
    installedFilesTemplate = List.copyOf(installedFilesTemplate);
    renameInstalledFiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(renameInstalledFiles));
  }

  /** Returns the file's text. */
  public String toText() {
    ObjectNode o = JSON.createObjectNode();
    o.put("image", image);
    o.put("revision", revision);
    o.put("ostree-commit", ostreeCommit);
    o.put("created", created);
    o.set("values", JSON.valueToTree(values));
    o.put("has-container-service", hasContainerService);
    var files = o.putArray("installed-files");
    installedFilesChecksum.keySet().forEach(files::add);
    o.set("installed-files-checksum", JSON.valueToTree(installedFilesChecksum));
    o.set("installed-files-template", JSON.valueToTree(installedFilesTemplate));
    o.set("rename-installed-files", JSON.valueToTree(renameInstalledFiles));
    o.putNull("rpm-installed");
    o.put("system-package", systemPackage);
    if (remote.isPresent()) {
      o.put("remote", remote.get());
    } else {
      o.putNull("remote");
    }
    o.put("use-links", useLinks);
    o.put("runtime", runtime);
    root.ifPresent(r -> o.put("root", r));
    autoUpdate.ifPresent(p -> o.put("auto-update", p));
    healthCheck.ifPresent(h -> o.set("health-check", h.toJson()));
    return PythonJson.dumps(o) + "\n";
  }

  /** Parses an info file, with atomic's defaults for missing keys. */
  public static InfoFile parse(String text, String defaultRuntime) throws UnitGenException {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (IOException e) {
      throw new UnitGenException("The info file is not valid JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new UnitGenException("The info file is not a JSON object");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    n.path("values")
        .fields()
        .forEachRemaining(e -> values.put(e.getKey(), e.getValue().isInt() ? e.getValue().asInt() : e.getValue().asText()));
    Map<String, String> checksums = new LinkedHashMap<>();
    if (n.has("installed-files-checksum")) {
      n.path("installed-files-checksum").fields().forEachRemaining(e -> checksums.put(e.getKey(), e.getValue().asText()));
    } else {
      n.path("installed-files").forEach(f -> checksums.put(f.asText(), ""));
    }
    List<String> templates = new java.util.ArrayList<>();
    n.path("installed-files-template").forEach(f -> templates.add(f.asText()));
    Map<String, String> rename = new LinkedHashMap<>();
    n.path("rename-installed-files").fields().forEachRemaining(e -> rename.put(e.getKey(), e.getValue().asText()));
    return new InfoFile(
        n.path("image").asText(""),
        n.path("revision").asText(""),
        n.path("ostree-commit").asText(""),
        n.path("created").asLong(0),
        values,
        n.path("has-container-service").asBoolean(true),
        checksums,
        templates,
        rename,
        n.path("system-package").asText("no"),
        n.hasNonNull("remote") ? Optional.of(n.path("remote").asText()) : Optional.empty(),
        n.path("use-links").asBoolean(false),
        n.path("runtime").asText(defaultRuntime),
        n.hasNonNull("root") ? Optional.of(n.path("root").asText()) : Optional.empty(),
        n.hasNonNull("auto-update") ? Optional.of(n.path("auto-update").asText()) : Optional.empty(),
        n.hasNonNull("health-check")
            ? Optional.of(HealthCheck.fromJson(n.get("health-check"), "the info file"))
            : Optional.empty());
  }
}
