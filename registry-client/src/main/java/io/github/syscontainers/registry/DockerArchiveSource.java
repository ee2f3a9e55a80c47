package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.model.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads an image from a {@code docker-archive}: the tar that {@code docker save} and {@code skopeo copy ...
 * docker-archive:} write, classic ({@code manifest.json}, {@code HEX.json}, {@code HEX.tar} or {@code ID/layer.tar})
 * or Docker 25's (the same {@code manifest.json} naming {@code blobs/sha256/HEX}). Read in place like an
 * oci-archive: names from {@code manifest.json} are looked up cleaned inside the tar, never on the host (E13).
 *
 * <p>The archive has no registry manifest, so one is made, as skopeo makes it: Docker schema 2, the config's
 * SHA-256 as its digest, and each layer's digest. An uncompressed layer (what docker saves) has its DiffID as
 * digest, checked while it streams; a compressed one is hashed in one pass first.
 *
 * <p>An image is chosen with {@code docker-archive:FILE:NAME:TAG} (a name in {@code RepoTags}) or
 * {@code docker-archive:FILE:@N} (zero-based position in {@code manifest.json}); an archive with one image needs
 * neither.
 *
 * <p>Thread-safe after {@link #resolve}.
 */
public final class DockerArchiveSource implements ImageSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";

  private final ArchiveIndex archive;
  private final Optional<String> ref;
  private final Map<Digest, String> blobs = new ConcurrentHashMap<>();
  private volatile String imageName;

  private DockerArchiveSource(ArchiveIndex archive, Optional<String> ref) {
    this.archive = archive;
    this.ref = ref;
  }

  /** Indexes the archive. */
  static DockerArchiveSource open(Path file, Optional<String> ref) throws RegistryException {
    ArchiveIndex archive = ArchiveIndex.open(file, "docker-archive");
    if (!archive.contains("manifest.json")) {
      throw new RegistryException(
          "The archive " + file + " has no manifest.json; it is not a docker-archive"
              + (archive.contains("index.json") ? " but an oci-archive: use oci-archive:" + file : ""));
    }
    return new DockerArchiveSource(archive, ref);
  }

  @Override
  public ResolvedImage resolve(Platform platform, ManifestGate gate) throws RegistryException {
    String what = "the archive " + archive.file();
    try {
      JsonNode entry = choose(JSON.readTree(archive.read("manifest.json", ManifestResolver.MAX_MANIFEST)));
      byte[] manifest = synthesize(entry, what);
      ManifestResolver.Fetcher fetcher =
          new ManifestResolver.Fetcher() {
            @Override
            public ManifestResolver.Fetched fetch(Optional<Descriptor> d) {
              return new ManifestResolver.Fetched(manifest, MediaType.DOCKER_MANIFEST);
            }

            @Override
            public InputStream openBlob(Descriptor d) throws IOException {
              return DockerArchiveSource.this.openBlob(d);
            }
          };
      return ManifestResolver.resolve(fetcher, Optional.empty(), platform, what, gate);
    } catch (RegistryException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw new RegistryException(
          "Tried to read " + what + " but its manifest.json is malformed: " + e.getMessage()
              + "; write the archive again with docker save or skopeo copy", e);
    }
  }

  /** Picks the {@code manifest.json} entry the reference names. */
  private JsonNode choose(JsonNode list) throws RegistryException {
    if (!list.isArray() || list.isEmpty()) {
      throw new RegistryException("The manifest.json of " + archive.file() + " lists no image");
    }
    List<String> offered = new ArrayList<>();
    int item = 0;
    for (JsonNode e : list) {
      offered.add(e.path("RepoTags").isEmpty() ? "(untagged)" : e.path("RepoTags").toString());
      // every RepoTag a reference, as containers/image requires: a name that is none would become the image's name
      for (JsonNode tag : e.path("RepoTags")) {
        try {
          ImageReference.parse(tag.asText(""));
        } catch (IllegalArgumentException bad) {
          throw new RegistryException("Invalid tag '" + tag.asText("") + "' in item @" + item + " of the manifest.json"
              + " of " + archive.file() + ": " + bad.getMessage() + "; the archive is malformed, write it again with"
              + " docker save or skopeo copy");
        }
      }
      item++;
    }
    if (ref.isEmpty()) {
      if (list.size() > 1) {
        throw new RegistryException(
            "The archive " + archive.file() + " holds " + list.size() + " images " + offered + "; name one with"
                + " docker-archive:" + archive.file() + ":NAME:TAG or docker-archive:" + archive.file() + ":@N");
      }
      return named(list.get(0), Optional.empty());
    }
    String r = ref.get();
    if (r.startsWith("@")) {
      int n;
      try {
        n = Integer.parseInt(r.substring(1));
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0 || n >= list.size()) {
        throw new RegistryException(
            "The archive " + archive.file() + " holds " + list.size() + " images; '" + r + "' is not one of @0 to @"
                + (list.size() - 1));
      }
      return named(list.get(n), Optional.empty());
    }
    String wanted = normalized(r);
    for (JsonNode e : list) {
      for (JsonNode tag : e.path("RepoTags")) {
        if (normalized(tag.asText()).equals(wanted)) {
          return named(e, Optional.of(tag.asText()));
        }
      }
    }
    throw new RegistryException(
        "No image named '" + r + "' in " + archive.file() + "; it holds " + String.join(", ", offered));
  }

  private JsonNode named(JsonNode entry, Optional<String> tag) {
    String first = entry.path("RepoTags").path(0).asText("");
    imageName = tag.or(() -> Optional.of(first).filter(s -> !s.isEmpty()))
        .map(t -> t.lastIndexOf(':') > t.lastIndexOf('/') ? t : t + ":latest")
        .orElseGet(() -> LayoutIndex.imageName(archive.file(), Optional.empty()));
    return entry;
  }

  private static String normalized(String name) {
    try {
      ImageReference r = ImageReference.parse(name);
      return r.tag().isPresent() || r.digest().isPresent() ? r.toString() : r + ":latest";
    } catch (IllegalArgumentException e) {
      return name;
    }
  }

  /** Makes the Docker schema 2 manifest of one entry, recording where each blob lies. */
  private byte[] synthesize(JsonNode entry, String what) throws IOException {
    String configName = entry.path("Config").asText("");
    if (configName.isEmpty() || !entry.path("Layers").isArray()) {
      throw new RegistryException("The manifest.json of " + what + " has an entry without Config or Layers");
    }
    byte[] config = archive.read(configName, ManifestResolver.MAX_CONFIG);
    Digest configDigest = Digest.sha256Of(config);
    blobs.put(configDigest, configName);
    List<Digest> diffIds = ImageConfig.parse(config).diffIds();
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaType.DOCKER_MANIFEST);
    descriptor(m.putObject("config"), MediaType.DOCKER_CONFIG, config.length, configDigest);
    ArrayNode layers = m.putArray("layers");
    int i = 0;
    for (JsonNode l : entry.path("Layers")) {
      String name = l.asText("");
      long size = archive.size(name);
      String type = mediaType(name);
      Digest digest;
      if (type.equals(DOCKER_LAYER) && i < diffIds.size()) {
        digest = diffIds.get(i); // checked as the layer streams
      } else {
        digest = hash(name);
      }
      blobs.put(digest, name);
      descriptor(layers.addObject(), type, size, digest);
      i++;
    }
    return JSON.writeValueAsBytes(m);
  }

  private static void descriptor(ObjectNode n, String type, long size, Digest digest) {
    n.put("mediaType", type);
    n.put("size", size);
    n.put("digest", digest.toString());
  }

  /** Returns the layer media type its first bytes show: gzip, zstd, or an uncompressed tar. */
  private String mediaType(String name) throws IOException {
    byte[] head;
    try (InputStream in = archive.open(name)) {
      head = in.readNBytes(4);
    }
    if (head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
      return MediaType.DOCKER_LAYER_GZIP;
    }
    if (head.length == 4 && (head[0] & 0xFF) == 0x28 && (head[1] & 0xFF) == 0xB5 && (head[2] & 0xFF) == 0x2F
        && (head[3] & 0xFF) == 0xFD) {
      return MediaType.OCI_LAYER_ZSTD;
    }
    return DOCKER_LAYER;
  }

  private Digest hash(String name) throws IOException {
    MessageDigest sha = Digest.newSha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = archive.open(name)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
    }
    return Digest.sha256(sha.digest());
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws RegistryException {
    String name = blobs.get(blob.digest());
    if (name == null) {
      throw new RegistryException("The archive " + archive.file() + " has no blob " + blob.digest());
    }
    return new VerifyingInputStream(archive.open(name), blob, "the archive " + archive.file());
  }

  @Override
  public String imageName() {
    String n = imageName;
    return n != null ? n : LayoutIndex.imageName(archive.file(), ref.filter(r -> !r.startsWith("@")));
  }

  @Override
  public void close() {}
}
