package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes containers/image's {@code dir:} transport: {@code version}, each blob as a file named by its digest's hex,
 * and {@code manifest.json} last (replaced whole at {@link #commit}). Layers are kept as they come, as skopeo keeps
 * them. The directory is created when missing; one that holds anything but a former {@code dir:} image is refused,
 * as skopeo refuses it.
 */
public final class DirDestination implements ImageDestination {
  static final String VERSION = "Directory Transport Version: 1.1\n";
  private final Path dir;
  private byte[] manifest;
  private boolean prepared;

  DirDestination(Path dir) {
    this.dir = dir;
  }

  @Override
  public String describe() {
    return "the directory " + dir;
  }

  @Override
  public LayerCompression layerCompression() {
    return LayerCompression.PRESERVE;
  }

  private void prepare() throws IOException {
    if (prepared) {
      return;
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException("it is a file, not a directory");
    }
    Files.createDirectories(dir);
    Path version = dir.resolve("version");
    if (!Files.exists(version)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new IOException("it is not empty and holds no image written by dir: (no version file); name an empty"
              + " or new directory");
        }
      }
      BlobFiles.replace(version, VERSION.getBytes(StandardCharsets.UTF_8));
    }
    prepared = true;
  }

  @Override
  public boolean hasBlob(Descriptor blob) {
    Path p = dir.resolve(DirSource.blobName(blob.digest(), ""));
    try {
      return Files.isRegularFile(p) && Files.size(p) == blob.size();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void putBlob(Descriptor blob, InputStream in) throws RegistryException {
    try {
      prepare();
      BlobFiles.write(dir.resolve(DirSource.blobName(blob.digest(), "")), in);
    } catch (IOException e) {
      throw failed(blob.digest().toString(), e);
    }
  }

  @Override
  public Descriptor putNewBlob(String mediaType, InputStream in) throws RegistryException {
    try {
      prepare();
      return BlobFiles.writeNew(dir, mediaType, in, d -> dir.resolve(DirSource.blobName(d, "")));
    } catch (IOException e) {
      throw failed("a " + mediaType + " blob", e);
    }
  }

  @Override
  public void putManifest(byte[] bytes, String mediaType, Digest digest, List<String> names)
      throws RegistryException {
    if (manifest != null) {
      throw new RegistryException(describe() + " holds one image; copy each image to a directory of its own, or use"
          + " oci: or an archive for several");
    }
    manifest = bytes.clone();
  }

  @Override
  public void putChildManifest(byte[] bytes, String mediaType, Digest digest) throws RegistryException {
    try {
      prepare();
      BlobFiles.write(dir.resolve(DirSource.blobName(digest, ".manifest.json")), new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw failed("the manifest " + digest, e);
    }
  }

  @Override
  public void commit() throws RegistryException {
    try {
      prepare();
      BlobFiles.replace(dir.resolve("manifest.json"), manifest);
    } catch (IOException e) {
      throw failed("manifest.json", e);
    }
  }

  @Override
  public void close() {}

  private RegistryException failed(String what, IOException e) {
    return DiskSpace.writeFailed(what, describe(), e);
  }
}
