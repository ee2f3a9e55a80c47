package io.github.syscontainers.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The registries.d files as documents to change, as {@code atomic trust} changed them: a registry's signature store
 * goes into the file that already configures it, else into {@code REGISTRY.yaml} (slashes as dashes), under
 * {@code docker: REGISTRY: sigstore: URL}, the key atomic and every containers/image version read ({@code lookaside},
 * its newer name, is kept where a file already uses it). The rest of a file is kept; its comments are not, as
 * atomic's PyYAML did not keep them either. Files are read only when the whole directory is valid
 * ({@link RegistriesD}).
 *
 * <p>Not thread-safe; {@link TrustConfig} changes it under a lock.
 */
final class RegistriesDFiles {
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());

  private final Path dir;
  private final Map<Path, ObjectNode> files;

  private RegistriesDFiles(Path dir, Map<Path, ObjectNode> files) {
    this.dir = dir;
    this.files = files;
  }

  static RegistriesDFiles read(Path dir) throws TrustException {
    RegistriesD.load(dir, URI.create("file:///"));
    Map<Path, ObjectNode> files = new LinkedHashMap<>();
    for (Path f : yamlFiles(dir)) {
      try {
        JsonNode n = YAML.readTree(Files.readAllBytes(f));
        files.put(f, n instanceof ObjectNode ? (ObjectNode) n : JsonNodeFactory.instance.objectNode());
      } catch (IOException e) {
        throw new TrustException("Cannot read the registries.d file " + f + ": " + e.getMessage(), e);
      }
    }
    return new RegistriesDFiles(dir, files);
  }

  private static List<Path> yamlFiles(Path dir) throws TrustException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new TrustException("Cannot list the registries.d directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The file whose {@code docker} entries name {@code scope}. */
  private Optional<Path> definingFile(String scope) {
    for (Map.Entry<Path, ObjectNode> e : files.entrySet()) {
      JsonNode d = e.getValue().get("docker");
      if (d != null && d.isObject() && d.has(scope)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /**
   * The signature store {@code trust show} lists for a policy scope, found as atomic found it: the entry of the
   * scope itself, else of its parents, cutting at slashes.
   */
  Optional<String> lookaside(String scope) {
    String s = scope;
    while (!s.isEmpty()) {
      Optional<Path> f = definingFile(s);
      if (f.isPresent()) {
        JsonNode entry = files.get(f.get()).get("docker").get(s);
        JsonNode url = entry == null ? null : entry.has("lookaside") ? entry.get("lookaside") : entry.get("sigstore");
        return Optional.ofNullable(url).filter(JsonNode::isTextual).map(JsonNode::asText);
      }
      int slash = s.lastIndexOf('/');
      s = slash < 0 ? "" : s.substring(0, slash);
    }
    return Optional.empty();
  }

  /** Points {@code scope}'s signature store at {@code url}, keeping the rest of its entry. */
  void setLookaside(String scope, String url) throws TrustException {
    change(scope, entry -> entry.put(entry.has("lookaside") ? "lookaside" : "sigstore", url));
  }

  /**
   * Has the signatures of {@code scope} read from its sigstore attachments too ({@code use-sigstore-attachments:
   * true}), as {@code podman image trust set --type sigstoreSigned} does: a key alone would verify nothing.
   */
  void setUseSigstoreAttachments(String scope) throws TrustException {
    change(scope, entry -> entry.put("use-sigstore-attachments", true));
  }

  private void change(String scope, java.util.function.Consumer<ObjectNode> edit) throws TrustException {
    Path file = definingFile(scope).orElseGet(() -> dir.resolve(scope.replace('/', '-') + ".yaml"));
    ObjectNode doc = files.computeIfAbsent(file, f -> JsonNodeFactory.instance.objectNode());
    JsonNode d = doc.get("docker");
    ObjectNode docker = d instanceof ObjectNode ? (ObjectNode) d : doc.putObject("docker");
    JsonNode e = docker.get(scope);
    ObjectNode entry = e instanceof ObjectNode ? (ObjectNode) e : docker.putObject(scope);
    edit.accept(entry);
    write(file, doc);
  }

  /** Removes {@code scope}'s entry; a file left with nothing in it is removed. False when none names it. */
  boolean remove(String scope) throws TrustException {
    Optional<Path> file = definingFile(scope);
    if (file.isEmpty()) {
      return false;
    }
    ObjectNode doc = files.get(file.get());
    ObjectNode docker = (ObjectNode) doc.get("docker");
    docker.remove(scope);
    if (docker.isEmpty()) {
      doc.remove("docker");
    }
    if (doc.isEmpty()) {
      ConfigFiles.remove(file.get());
      files.remove(file.get());
    } else {
      write(file.get(), doc);
    }
    return true;
  }

  /** Removes every file but {@code default.yaml}, as {@code atomic trust reset} did; returns what it removed. */
  List<Path> reset() throws TrustException {
    List<Path> removed = new ArrayList<>();
    for (Path f : List.copyOf(files.keySet())) {
      if (!f.getFileName().toString().equals("default.yaml")) {
        ConfigFiles.remove(f);
        files.remove(f);
        removed.add(f);
      }
    }
    return removed;
  }

  private static void write(Path file, ObjectNode doc) throws TrustException {
    try {
      ConfigFiles.replace(file, YAML.writeValueAsString(doc));
    } catch (IOException e) {
      throw new TrustException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
