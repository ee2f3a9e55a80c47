package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code config} key file of a repository (GKeyFile syntax). It is read, never rewritten, so keys that other
 * tools put there are kept.
 *
 * <p>Immutable and thread-safe.
 */
public final class RepoConfig {
  private final Map<String, Map<String, String>> groups;

  private RepoConfig(Map<String, Map<String, String>> groups) {
    this.groups = groups;
  }

  /** Returns the text {@code ostree init --mode=MODE} writes. */
  public static String initialText(RepoMode mode) {
    return "[core]\nrepo_version=1\nmode=" + mode.configName() + "\n";
  }

  /** Parses the config file of a repository. */
  public static RepoConfig read(Path configFile) throws IOException {
    Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (String raw : Files.readAllLines(configFile, StandardCharsets.UTF_8)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = groups.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0 && current != null) {
        current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return new RepoConfig(groups);
  }

  /** Returns the value of {@code key} in {@code group}. */
  public Optional<String> get(String group, String key) {
    Map<String, String> g = groups.get(group);
    return g == null ? Optional.empty() : Optional.ofNullable(g.get(key));
  }

  /** Returns the repository mode; an unknown mode is an error that names it. */
  public RepoMode mode(Path repo) throws ObjectStoreException {
    String value = get("core", "mode").orElse("");
    return RepoMode.fromConfig(value)
        .orElseThrow(
            () ->
                new ObjectStoreException(
                    "Repository " + repo + " has mode '" + value + "', which syscontainers cannot read; "
                        + "use a bare, bare-user, bare-user-only or archive repository"));
  }

  /**
   * Whether layer imports keep the layer's compressed blob as it came ({@code keep-blobs=true} in the
   * {@code [syscontainers]} group; off by default): then {@code save} and {@code push} send the layers as they were
   * pulled, and the manifest keeps its digest (and its signatures stay valid). It costs the compressed size of every
   * layer again on disk.
   */
  public boolean keepBlobs() {
    return get(ImportLimits.GROUP, "keep-blobs").map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  /**
   * Whether layer imports keep a tar-split record ({@code keep-tar-split=true} in the {@code [syscontainers]} group;
   * off by default): what rebuilds a layer's tar byte for byte. It costs an import about 0.2 s of CPU for the bench
   * image's 300 MB layer (a CRC-64 of every byte and the record's JSON), which took the cold pull + install of
   * bench/system.sh from 0.63x to 0.66x skopeo + umoci, over the 0.65x bar; on by default once that is won back.
   */
  public boolean keepTarSplit() {
    return get(ImportLimits.GROUP, "keep-tar-split").map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  /**
   * The largest tar-split record kept in its layer commit's metadata ({@code tar-split-inline-max} in the
   * {@code [syscontainers]} group, in bytes of compressed record; 1 MiB by default, about a 400 MB layer of common
   * files): a larger one is kept in a file of its own, named from the layer and hashed in the commit, so that commit
   * objects stay small.
   */
  public int tarSplitInlineMax() throws ObjectStoreException {
    Optional<String> v = get(ImportLimits.GROUP, "tar-split-inline-max");
    if (v.isEmpty()) {
      return 1 << 20;
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new ObjectStoreException("tar-split-inline-max in the [syscontainers] group of the repository's config is '"
        + v.get() + "', not a number of bytes; set it to one, such as 1048576");
  }

  /**
   * OSTree's {@code payload-link-threshold} in the {@code [core]} group: regular files of at least this many bytes
   * get a payload link ({@link PayloadLinks}), the index that finds a file's content in the store by its SHA-256;
   * empty when unset (OSTree's default), or when it is not a number (OSTree then refuses the repository, and says so).
   */
  public java.util.OptionalLong payloadLinkThreshold() {
    Optional<String> v = get("core", "payload-link-threshold");
    try {
      return v.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseUnsignedLong(v.get()
          .trim()));
    } catch (NumberFormatException e) {
      return java.util.OptionalLong.empty();
    }
  }

  /** Returns false when {@code [core] fsync=false} asks not to fsync objects. */
  public boolean fsync() {
    return !get("core", "fsync").map(v -> v.equalsIgnoreCase("false")).orElse(false);
  }
}
