package io.github.syscontainers.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where signatures of registry images are kept, per containers-registries.d(5): the {@code *.yaml} files of a
 * registries.d directory, each with {@code default-docker} and per-scope {@code docker} entries giving a
 * {@code lookaside} (or the older {@code sigstore}) URL, a {@code lookaside-staging} one for writing, and
 * {@code use-sigstore-attachments}. The most specific scope wins; with none, the built-in
 * {@code file:///var/lib/containers/sigstore} (under the root worked on) is used, as containers/image does.
 *
 * <p>Immutable and thread-safe.
 */
public final class RegistriesD {
  /** Made when a file is read: most hosts have none, and the YAML parser costs its start. */
  private static final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
  }
  private static final Set<String> NAMESPACE_FIELDS =
      Set.of("lookaside", "lookaside-staging", "sigstore", "sigstore-staging", "use-sigstore-attachments");

  /** One {@code docker} or {@code default-docker} entry. */
  record Namespace(Optional<String> lookaside, Optional<String> staging, Optional<Boolean> attachments) {}

  private final Optional<Namespace> defaultDocker;
  private final Map<String, Namespace> docker;
  private final URI builtin;

  private RegistriesD(Optional<Namespace> defaultDocker, Map<String, Namespace> docker, URI builtin) {
    this.defaultDocker = defaultDocker;
    this.docker = Map.copyOf(docker);
    this.builtin = builtin;
  }

  /**
   * Reads the {@code *.yaml} files of {@code dir} (none when it does not exist).
   *
   * @param builtinLookaside the lookaside used when no entry names one
   */
  public static RegistriesD load(Path dir, URI builtinLookaside) throws TrustException {
    Optional<Namespace> def = Optional.empty();
    String defFrom = "";
    Map<String, Namespace> docker = new LinkedHashMap<>();
    Map<String, Path> from = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return new RegistriesD(def, docker, builtinLookaside);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new TrustException("Cannot list the registries.d directory " + dir + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      JsonNode root;
      try {
        if (Files.size(file) > 1 << 20) {
          throw new TrustException("The registries.d file " + file + " is over 1 MiB");
        }
        root = Yaml.MAPPER.readTree(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new TrustException("Cannot read the registries.d file " + file + ": " + e.getMessage()
            + "; fix its YAML (containers-registries.d(5))", e);
      }
      if (root == null || root.isNull() || root.isMissingNode()) {
        continue;
      }
      if (!root.isObject()) {
        throw new TrustException("The registries.d file " + file + " is not a YAML mapping");
      }
      if (root.has("default-docker") && !root.get("default-docker").isNull()) {
        if (def.isPresent()) {
          throw new TrustException("\"default-docker\" is defined both in " + defFrom + " and " + file
              + "; keep one of them");
        }
        def = Optional.of(namespace(root.get("default-docker"), file, "default-docker"));
        defFrom = file.toString();
      }
      JsonNode d = root.get("docker");
      if (d != null && !d.isNull()) {
        if (!d.isObject()) {
          throw new TrustException("\"docker\" in " + file + " is not a mapping of scopes");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (docker.containsKey(e.getKey())) {
            throw new TrustException("The \"docker\" namespace " + e.getKey() + " is defined both in "
                + from.get(e.getKey()) + " and " + file + "; keep one of them");
          }
          docker.put(e.getKey(), namespace(e.getValue(), file, "docker: " + e.getKey()));
          from.put(e.getKey(), file);
        }
      }
    }
    return new RegistriesD(def, docker, builtinLookaside);
  }

  private static Namespace namespace(JsonNode n, Path file, String where) throws TrustException {
    if (n == null || n.isNull()) {
      return new Namespace(Optional.empty(), Optional.empty(), Optional.empty());
    }
    if (!n.isObject()) {
      throw new TrustException(where + " in " + file + " is not a mapping");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!NAMESPACE_FIELDS.contains(f)) {
        throw new TrustException(where + " in " + file + " has an unknown field \"" + f + "\"");
      }
    }
    Optional<String> lookaside = text(n, "lookaside").or(() -> text(n, "sigstore"));
    Optional<String> staging = text(n, "lookaside-staging").or(() -> text(n, "sigstore-staging"));
    Optional<Boolean> attachments =
        Optional.ofNullable(n.get("use-sigstore-attachments")).filter(v -> !v.isNull()).map(JsonNode::asBoolean);
    return new Namespace(lookaside, staging, attachments);
  }

  private static Optional<String> text(JsonNode n, String field) {
    return Optional.ofNullable(n.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isEmpty());
  }

  /** The namespaces that apply to {@code image}, most specific first, {@code default-docker} last. */
  private List<Namespace> applicable(ImageIdentity image) {
    java.util.ArrayList<Namespace> out = new java.util.ArrayList<>();
    if (docker.containsKey(image.scope())) {
      out.add(docker.get(image.scope()));
    }
    for (String ns : image.namespaces()) {
      if (docker.containsKey(ns)) {
        out.add(docker.get(ns));
      }
    }
    defaultDocker.ifPresent(out::add);
    return out;
  }

  /** The lookaside URL configured for {@code image} (staging first when {@code write}), if any entry names one. */
  Optional<String> lookasideTop(ImageIdentity image, boolean write) {
    for (Namespace ns : applicable(image)) {
      Optional<String> t = write ? ns.staging().or(ns::lookaside) : ns.lookaside();
      if (t.isPresent()) {
        return t;
      }
    }
    return Optional.empty();
  }

  /**
   * The base of the lookaside for a registry image, its repository path appended: where
   * {@code REPO@sha256=HEX/signature-N} are read ({@code write} false) or written.
   */
  URI lookasideBase(ImageIdentity image, boolean write) throws TrustException {
    String top = lookasideTop(image, write).orElse(null);
    URI base;
    try {
      base = top == null ? builtin : new URI(top);
    } catch (java.net.URISyntaxException e) {
      throw new TrustException("Invalid signature storage URL " + top + ": " + e.getMessage(), e);
    }
    String repo = image.dockerReference().map(r -> r.reference().repository())
        .orElseThrow(() -> new TrustException(image.display() + " has no registry repository to look signatures up"));
    String path = (base.getPath() == null ? "" : base.getPath()).replaceAll("/+$", "") + "/" + repo;
    try {
      return new URI(base.getScheme(), base.getAuthority(), path, null, null);
    } catch (java.net.URISyntaxException e) {
      throw new TrustException("Invalid signature storage URL " + base + ": " + e.getMessage(), e);
    }
  }

  /** Whether sigstore signatures are read as attachments ({@code sha256-HEX.sig} tags) for {@code image}. */
  boolean useSigstoreAttachments(ImageIdentity image) {
    for (Namespace ns : applicable(image)) {
      if (ns.attachments().isPresent()) {
        return ns.attachments().get();
      }
    }
    return false;
  }
}
