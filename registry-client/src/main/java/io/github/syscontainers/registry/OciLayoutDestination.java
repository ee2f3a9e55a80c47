package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Writes into an OCI image layout directory ({@code oci:DIR[:REF]}), created when missing: each blob to a temporary
 * file renamed into {@code blobs/ALGO/HEX}, and at {@link #commit} {@code index.json}, replaced whole under a lock
 * on {@code .index.json.lock}, with the entries of other names kept. Until then a reader sees the layout as it was.
 */
public final class OciLayoutDestination implements ImageDestination {
  private final Path dir;
  private final OciIndexWriter index = new OciIndexWriter();

  OciLayoutDestination(Path dir) {
    this.dir = dir;
  }

  @Override
  public String describe() {
    return "the OCI layout " + dir;
  }

  @Override
  public LayerCompression layerCompression() {
    return LayerCompression.COMPRESS;
  }

  @Override
  public boolean ociOnly() {
    return true;
  }

  private Path blobs(Digest d) throws IOException {
    Path algo = dir.resolve("blobs").resolve(d.algorithm());
    if (!Files.isDirectory(algo)) {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IOException(dir + " is a file, not a directory; for a tar file write oci-archive:" + dir);
      }
      Files.createDirectories(algo);
      Path layoutFile = dir.resolve("oci-layout");
      if (!Files.exists(layoutFile)) {
        BlobFiles.replace(layoutFile, OciIndexWriter.layoutFile());
      }
    }
    return algo;
  }

  @Override
  public boolean hasBlob(Descriptor blob) throws RegistryException {
    Path p = dir.resolve("blobs").resolve(blob.digest().algorithm()).resolve(blob.digest().hex());
    try {
      return Files.isRegularFile(p) && Files.size(p) == blob.size();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void putBlob(Descriptor blob, InputStream in) throws RegistryException {
    try {
      BlobFiles.write(blobs(blob.digest()).resolve(blob.digest().hex()), in);
    } catch (IOException e) {
      throw failed(blob.digest().toString(), e);
    }
  }

  @Override
  public Descriptor putNewBlob(String mediaType, InputStream in) throws RegistryException {
    try {
      Path algo = blobs(Digest.parse("sha256:" + "0".repeat(64)));
      return BlobFiles.writeNew(algo, mediaType, in, d -> algo.resolve(d.hex()));
    } catch (IOException e) {
      throw failed("a " + mediaType + " blob", e);
    }
  }

  @Override
  public void putManifest(byte[] manifest, String mediaType, Digest digest, List<String> names)
      throws RegistryException {
    putBlob(Descriptor.of(mediaType, digest, manifest.length), new ByteArrayInputStream(manifest));
    index.add(mediaType, digest, manifest.length, names);
  }

  @Override
  public void putChildManifest(byte[] manifest, String mediaType, Digest digest) throws RegistryException {
    putBlob(Descriptor.of(mediaType, digest, manifest.length), new ByteArrayInputStream(manifest));
  }

  @Override
  public void commit() throws RegistryException {
    Path indexFile = dir.resolve("index.json");
    try (FileChannel lockFile = FileChannel.open(dir.resolve(".index.json.lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      Optional<byte[]> old = Files.exists(indexFile) ? Optional.of(Files.readAllBytes(indexFile)) : Optional.empty();
      BlobFiles.syncDirectory(dir.resolve("blobs").resolve("sha256"));
      BlobFiles.replace(indexFile, index.write(old, describe()));
    } catch (IOException e) {
      throw failed("index.json", e);
    }
  }

  @Override
  public void close() {}

  private RegistryException failed(String what, IOException e) {
    return DiskSpace.writeFailed(what, describe(), e);
  }
}
