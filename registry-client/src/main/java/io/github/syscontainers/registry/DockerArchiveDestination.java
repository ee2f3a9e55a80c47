package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a docker-archive, as {@code docker save} and skopeo write it: each layer uncompressed as {@code HEX.tar}
 * (HEX of its DiffID), each config as {@code HEX.json}, and {@code manifest.json} last, one entry per image with its
 * {@code RepoTags}. The legacy v1 directories and {@code repositories} file are not written (docker load, skopeo
 * and podman read {@code manifest.json}). The tar is renamed over the target at {@link #commit}.
 */
public final class DockerArchiveDestination implements ImageDestination {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TarFileWriter tar;
  private final Map<Digest, String> written = new HashMap<>();
  private final ArrayNode manifest = JSON.createArrayNode();
  private final Set<String> tags = new HashSet<>();

  private DockerArchiveDestination(TarFileWriter tar) {
    this.tar = tar;
  }

  static DockerArchiveDestination create(Path file) throws RegistryException {
    try {
      return new DockerArchiveDestination(TarFileWriter.create(file));
    } catch (IOException e) {
      throw new RegistryException("Cannot write the docker-archive " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "the docker-archive " + tar.target();
  }

  @Override
  public LayerCompression layerCompression() {
    return LayerCompression.DECOMPRESS;
  }

  @Override
  public boolean hasBlob(Descriptor blob) {
    return written.containsKey(blob.digest());
  }

  private static boolean isConfig(String mediaType) {
    return mediaType.equals(MediaType.OCI_CONFIG) || mediaType.equals(MediaType.DOCKER_CONFIG);
  }

  private static String name(Digest d, String mediaType) {
    return d.hex() + (isConfig(mediaType) ? ".json" : ".tar");
  }

  @Override
  public void putBlob(Descriptor blob, InputStream in) throws RegistryException {
    if (written.containsKey(blob.digest())) {
      return;
    }
    String name = name(blob.digest(), blob.mediaType());
    try {
      tar.file(name, blob.size(), in);
    } catch (IOException e) {
      throw failed(name, e);
    }
    written.put(blob.digest(), name);
  }

  @Override
  public Descriptor putNewBlob(String mediaType, InputStream in) throws RegistryException {
    try {
      return tar.streamedBlob(mediaType, in, d -> {
        if (written.containsKey(d)) {
          return null;
        }
        written.put(d, name(d, mediaType));
        return written.get(d);
      });
    } catch (IOException e) {
      throw failed("a layer", e);
    }
  }

  @Override
  public void putManifest(byte[] bytes, String mediaType, Digest digest, List<String> names)
      throws RegistryException {
    Manifest parsed = ManifestParser.parse(bytes, mediaType, describe());
    if (!(parsed instanceof Manifest.Image)) {
      throw new RegistryException("A docker-archive holds images, not an index; choose one platform");
    }
    Manifest.Image image = (Manifest.Image) parsed;
    ObjectNode entry = manifest.addObject();
    entry.put("Config", written.get(image.config().digest()));
    ArrayNode repoTags = entry.putArray("RepoTags");
    for (String n : names) {
      if (!tags.add(n)) {
        throw new RegistryException("Two images of " + describe() + " would both be tagged " + n
            + "; give each its own name");
      }
      repoTags.add(n);
    }
    ArrayNode layers = entry.putArray("Layers");
    for (Descriptor l : image.layers()) {
      String name = written.get(l.digest());
      if (name == null || !name.endsWith(".tar")) {
        throw new IllegalStateException("layer " + l.digest() + " was not written uncompressed before its manifest");
      }
      layers.add(name);
    }
  }

  @Override
  public void commit() throws RegistryException {
    try {
      tar.file("manifest.json", JSON.writeValueAsBytes(manifest));
      tar.commit();
    } catch (IOException e) {
      throw failed("manifest.json", e);
    }
  }

  @Override
  public void close() throws RegistryException {
    try {
      tar.close();
    } catch (IOException e) {
      throw new RegistryException("Cannot remove the unfinished " + describe() + ": " + e.getMessage(), e);
    }
  }

  private RegistryException failed(String what, IOException e) {
    return DiskSpace.writeFailed(what, describe(), e);
  }
}
