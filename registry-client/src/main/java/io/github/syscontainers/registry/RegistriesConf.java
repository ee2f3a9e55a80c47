package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.github.syscontainers.model.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host's registries.conf, read as containers/image reads it, so a host's existing configuration just works:
 * version 2 ({@code [[registry]]} with {@code prefix}/{@code location} rewrites, {@code insecure}, {@code blocked},
 * ordered {@code [[registry.mirror]]} with {@code pull-from-mirror} and {@code mirror-by-digest-only},
 * {@code *.example.com} prefixes, {@code unqualified-search-registries}, {@code [aliases]},
 * {@code short-name-mode}) and the version 1 tables that Atomic hosts shipped ({@code [registries.search]},
 * {@code [registries.insecure]}, {@code [registries.block]}). Drop-ins from {@code registries.conf.d/*.conf} are
 * read after the main file, in name order: a later {@code [[registry]]} with the same prefix replaces an earlier
 * one, later search lists and modes replace earlier ones, aliases merge.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md">
 *     containers-registries.conf(5)</a>
 */
public final class RegistriesConf {
  /** No configuration: every reference is its own only endpoint. */
  public static final RegistriesConf EMPTY = new RegistriesConf(List.of(), List.of(), Map.of(), "enforcing", List.of());

  /** Made when a file is read: most hosts have none, and a mapper costs Jackson's start (20-100 ms). */
  private static final class Toml {
    static final TomlMapper MAPPER = new TomlMapper();
  }
  private static final long MAX_FILE = 1L << 20;

  /** Which references a mirror serves. */
  public enum PullFrom {
    ALL,
    DIGEST_ONLY,
    TAG_ONLY
  }

  /** A mirror of a registry entry. */
  public record Mirror(String location, boolean insecure, PullFrom pullFrom) {}

  /** A {@code [[registry]]} entry. */
  public record Entry(String prefix, String location, boolean insecure, boolean blocked, List<Mirror> mirrors) {
    public Entry {
      mirrors = List.copyOf(mirrors);
    }

    boolean matches(String name) {
      if (prefix.startsWith("*.")) {
        String host = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        return host.endsWith(prefix.substring(1));
      }
      return name.equals(prefix) || name.startsWith(prefix + "/");
    }

    /** The reference rewritten from this entry's prefix to {@code loc}. */
    ImageReference rewrite(ImageReference ref, String loc) {
      String name = ref.registry() + "/" + ref.repository();
      String rewritten = prefix.startsWith("*.") || loc.isEmpty() ? name : loc + name.substring(prefix.length());
      String suffix = ref.digest().map(d -> "@" + d).orElse(ref.tag().map(t -> ":" + t).orElse(""));
      return ImageReference.parse(rewritten + suffix);
    }
  }

  /** One place to try: the reference as that place names it, whether it is insecure, and whether it is a mirror. */
  public record Endpoint(ImageReference reference, boolean insecure, boolean mirror) {}

  private final List<Entry> entries;
  private final List<String> search;
  private final Map<String, String> aliases;
  private final String shortNameMode;
  private final List<Path> files;

  private RegistriesConf(
      List<Entry> entries, List<String> search, Map<String, String> aliases, String shortNameMode, List<Path> files) {
    this.entries = List.copyOf(entries);
    this.search = List.copyOf(search);
    this.aliases = Map.copyOf(aliases);
    this.shortNameMode = shortNameMode;
    this.files = List.copyOf(files);
  }

  /**
   * Loads {@code $CONTAINERS_REGISTRIES_CONF} if set, else {@code ROOT/etc/containers/registries.conf} and its
   * {@code registries.conf.d}; none of them existing means {@link #EMPTY}.
   */
  public static RegistriesConf load(Path root, Map<String, String> env) throws RegistryException {
    String override = env.get("CONTAINERS_REGISTRIES_CONF");
    List<Path> files = new ArrayList<>();
    if (override != null && !override.isEmpty()) {
      files.add(Path.of(override));
    } else {
      Path main = root.resolve("etc/containers/registries.conf");
      if (Files.isRegularFile(main)) {
        files.add(main);
      }
      Path dropIns = root.resolve("etc/containers/registries.conf.d");
      if (Files.isDirectory(dropIns)) {
        try (Stream<Path> s = Files.list(dropIns)) {
          s.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new RegistryException("Cannot list " + dropIns + ": " + e.getMessage(), e);
        }
      }
    }
    return parse(files);
  }

  /** Parses and merges {@code files}, in order. */
  static RegistriesConf parse(List<Path> files) throws RegistryException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<String> search = new ArrayList<>();
    Map<String, String> aliases = new LinkedHashMap<>();
    String mode = "enforcing";
    for (Path file : files) {
      JsonNode root = read(file);
      JsonNode v1 = root.path("registries");
      if (v1.isObject()) {
        if (root.has("registry")) {
          throw new RegistryException(
              file + " mixes the version 1 [registries.*] tables with version 2 [[registry]] entries; use one");
        }
        List<String> v1search = strings(v1.path("search").path("registries"), file);
        if (!v1search.isEmpty()) {
          search = v1search;
        }
        for (String host : strings(v1.path("insecure").path("registries"), file)) {
          Entry old = entries.get(host);
          entries.put(host, new Entry(host, host, true, old != null && old.blocked(), List.of()));
        }
        for (String host : strings(v1.path("block").path("registries"), file)) {
          Entry old = entries.get(host);
          entries.put(host, new Entry(host, host, old != null && old.insecure(), true, List.of()));
        }
        continue;
      }
      if (root.has("unqualified-search-registries")) {
        search = strings(root.path("unqualified-search-registries"), file);
        for (String registry : search) {
          checkSearchRegistry(registry, file);
        }
      }
      if (root.has("short-name-mode")) {
        mode = root.path("short-name-mode").asText("enforcing");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("aliases").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        aliases.put(e.getKey(), checkAlias(e.getKey(), e.getValue(), file));
      }
      for (JsonNode r : root.path("registry")) {
        Entry e = entry(r, file);
        entries.remove(e.prefix());
        entries.put(e.prefix(), e);
      }
    }
    return new RegistriesConf(new ArrayList<>(entries.values()), search, aliases, mode, files);
  }

  /**
   * An alias's value, when it is what containers/image accepts: a repository with its registry, without tag or
   * digest ({@code quay.io/team/tool}).
   */
  private static String checkAlias(String name, JsonNode value, Path file) throws RegistryException {
    String v = value.isTextual() ? value.asText() : "";
    int slash = v.indexOf('/');
    String host = slash < 0 ? "" : v.substring(0, slash);
    boolean qualified = host.contains(".") || host.contains(":") || host.equals("localhost");
    boolean valid = qualified && !v.contains("@") && v.lastIndexOf(':') < v.lastIndexOf('/');
    if (valid) {
      try {
        ImageReference.parse(v);
      } catch (IllegalArgumentException e) {
        valid = false;
      }
    }
    if (!valid) {
      throw new RegistryException("The alias '" + name + "' in " + file + " is " + value + ", not a repository with"
          + " its registry and without tag or digest (e.g. \"quay.io/team/tool\"); fix the [aliases] table");
    }
    return v;
  }

  /** A location, when it is a registry host with an optional namespace ({@code mirror.example.com/library}). */
  private static void checkLocation(String location, String what, Path file) throws RegistryException {
    try {
      if (!location.contains("@")) {
        ImageReference.parse(location + "/name");
        return;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw new RegistryException(what + " in " + file + " is '" + location + "', which is not a registry host with an"
        + " optional namespace (e.g. \"mirror.example.com/library\"); fix it");
  }

  /** A search registry, when a short name can be qualified with it. */
  private static void checkSearchRegistry(String registry, Path file) throws RegistryException {
    try {
      if (!registry.isEmpty() && !registry.contains("/") && !registry.contains("@")) {
        ImageReference.parse(registry + "/name");
        return;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw new RegistryException("The unqualified-search-registries of " + file + " name '" + registry + "', which is"
        + " not a registry host (e.g. \"registry.example.com\" or \"localhost:5000\"); fix the list");
  }

  private static JsonNode read(Path file) throws RegistryException {
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new RegistryException(file + " is over 1 MiB; it is not a registries.conf");
      }
      JsonNode root = Toml.MAPPER.readTree(file.toFile());
      return root == null ? Toml.MAPPER.createObjectNode() : root;
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException(
          "Cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse("") + "; fix its TOML", e);
    }
  }

  private static Entry entry(JsonNode r, Path file) throws RegistryException {
    String location = r.path("location").asText("");
    String prefix = r.path("prefix").asText("");
    if (prefix.isEmpty()) {
      prefix = location;
    }
    if (prefix.isEmpty()) {
      throw new RegistryException("A [[registry]] in " + file + " has neither prefix nor location; give one");
    }
    if (prefix.startsWith("*.") && !location.isEmpty()) {
      throw new RegistryException(
          "The [[registry]] with the wildcard prefix " + prefix + " in " + file + " may not set a location");
    }
    if (!location.isEmpty()) {
      checkLocation(location, "The location of the [[registry]] " + prefix, file);
    }
    boolean byDigestOnly = r.path("mirror-by-digest-only").asBoolean(false);
    List<Mirror> mirrors = new ArrayList<>();
    for (JsonNode m : r.path("mirror")) {
      String loc = m.path("location").asText("");
      if (loc.isEmpty()) {
        throw new RegistryException("A mirror of " + prefix + " in " + file + " has no location");
      }
      checkLocation(loc, "The location of a mirror of " + prefix, file);
      String from = m.path("pull-from-mirror").asText(byDigestOnly ? "digest-only" : "all");
      PullFrom pull;
      switch (from.toLowerCase(Locale.ROOT)) {
        case "all":
        case "":
          pull = byDigestOnly ? PullFrom.DIGEST_ONLY : PullFrom.ALL;
          break;
        case "digest-only":
          pull = PullFrom.DIGEST_ONLY;
          break;
        case "tag-only":
          pull = PullFrom.TAG_ONLY;
          break;
        default:
          throw new RegistryException(
              "The mirror " + loc + " in " + file + " has pull-from-mirror = \"" + from + "\"; use all, digest-only"
                  + " or tag-only");
      }
      mirrors.add(new Mirror(loc, m.path("insecure").asBoolean(false), pull));
    }
    return new Entry(
        prefix, location, r.path("insecure").asBoolean(false), r.path("blocked").asBoolean(false), mirrors);
  }

  private static List<String> strings(JsonNode n, Path file) throws RegistryException {
    List<String> out = new ArrayList<>();
    if (n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new RegistryException("A registry list in " + file + " is not an array of strings");
    }
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** Returns the entry with the longest prefix that matches {@code ref}. */
  Optional<Entry> find(ImageReference ref) {
    String name = ref.registry() + "/" + ref.repository();
    Entry best = null;
    for (Entry e : entries) {
      if (e.matches(name) && (best == null || rank(e) > rank(best))) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int rank(Entry e) {
    // an exact prefix beats any wildcard, then the longer one wins
    return e.prefix().startsWith("*.") ? e.prefix().length() : 10_000 + e.prefix().length();
  }

  /**
   * Returns the places to try for a reference, in order: its mirrors that serve this kind of reference, then the
   * registry itself (after any location rewrite).
   *
   * @param insecure whether the user marked the registry insecure ({@code --tls-verify=false}, {@code http:})
   * @throws RegistryException when the registry is blocked
   */
  public List<Endpoint> endpoints(ImageReference ref, boolean insecure) throws RegistryException {
    Optional<Entry> found = find(ref);
    if (found.isEmpty()) {
      return List.of(new Endpoint(ref, insecure, false));
    }
    Entry e = found.get();
    if (e.blocked()) {
      throw new RegistryException(
          "Pulling " + ref + " is blocked by the entry for " + e.prefix() + " in " + describeFiles()
              + "; remove blocked = true there to allow it");
    }
    List<Endpoint> out = new ArrayList<>();
    boolean byDigest = ref.digest().isPresent();
    for (Mirror m : e.mirrors()) {
      if ((m.pullFrom() == PullFrom.DIGEST_ONLY && !byDigest) || (m.pullFrom() == PullFrom.TAG_ONLY && byDigest)) {
        continue;
      }
      out.add(new Endpoint(rewrite(e, ref, m.location()), m.insecure() || insecure, true));
    }
    out.add(new Endpoint(rewrite(e, ref, e.location()), e.insecure() || insecure, false));
    return out;
  }

  private ImageReference rewrite(Entry e, ImageReference ref, String location) throws RegistryException {
    try {
      return e.rewrite(ref, location);
    } catch (IllegalArgumentException bad) {
      throw new RegistryException("The entry for " + e.prefix() + " in " + describeFiles() + " rewrites " + ref
          + " to no valid reference (" + bad.getMessage() + "); fix its location", bad);
    }
  }

  /** The {@code unqualified-search-registries}, in order (empty when none are configured). */
  public List<String> searchRegistries() {
    return search;
  }

  /** The {@code [aliases]} entry for a short name without tag or digest ({@code busybox}), if one is configured. */
  public Optional<String> alias(String name) {
    return Optional.ofNullable(aliases.get(name));
  }

  /**
   * Resolves a short name ({@code busybox}, {@code team/app:1}: no registry host) as containers/image does: an
   * alias first, then the search registries. Returns the candidates to try in order; empty means "no
   * configuration, use Docker Hub" as Docker and atomic did.
   *
   * @throws RegistryException in enforcing mode when several search registries could serve the name
   */
  public List<ImageReference> shortName(String text) throws RegistryException {
    String name = text;
    String suffix = "";
    int at = text.indexOf('@');
    int colon = text.lastIndexOf(':');
    if (at >= 0) {
      name = text.substring(0, at);
      suffix = text.substring(at);
    } else if (colon > text.lastIndexOf('/')) {
      name = text.substring(0, colon);
      suffix = text.substring(colon);
    }
    String alias = aliases.get(name);
    if (alias != null) {
      return List.of(reference(alias + suffix, text));
    }
    if (search.isEmpty()) {
      return List.of();
    }
    if (search.size() > 1 && shortNameMode.equals("enforcing")) {
      throw new RegistryException(
          "The short name '" + text + "' could come from any of " + String.join(", ", search) + " (the"
              + " unqualified-search-registries of " + describeFiles() + ", short-name-mode enforcing); name the"
              + " registry, for example " + search.get(0) + "/" + text + ", or add an alias");
    }
    List<ImageReference> out = new ArrayList<>();
    for (String registry : search) {
      out.add(reference(registry + "/" + text, text));
    }
    return out;
  }

  private static ImageReference reference(String qualified, String text) throws RegistryException {
    try {
      return ImageReference.parse(qualified);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("'" + text + "' is not an image name (" + e.getMessage() + "); give a name such as"
          + " app or team/app:1", e);
    }
  }

  private String describeFiles() {
    return files.isEmpty() ? "registries.conf" : files.get(0).toString() + (files.size() > 1 ? " (and drop-ins)" : "");
  }
}
