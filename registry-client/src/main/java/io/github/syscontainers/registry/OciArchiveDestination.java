package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes an oci-archive: an OCI layout as one tar, written entry by entry as the blobs arrive ({@code oci-layout},
 * the blobs, {@code index.json} last), under a temporary name renamed over the target at {@link #commit}. Blobs
 * shared by several images are written once.
 */
public final class OciArchiveDestination implements ImageDestination {
  private final TarFileWriter tar;
  private final Set<Digest> written = new HashSet<>();
  private final OciIndexWriter index = new OciIndexWriter();

  private OciArchiveDestination(TarFileWriter tar) {
    this.tar = tar;
  }

  static OciArchiveDestination create(Path file) throws RegistryException {
    try {
      TarFileWriter t = TarFileWriter.create(file);
      t.file("oci-layout", OciIndexWriter.layoutFile());
      t.directory("blobs");
      t.directory("blobs/sha256");
      return new OciArchiveDestination(t);
    } catch (IOException e) {
      throw new RegistryException("Cannot write the oci-archive " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "the oci-archive " + tar.target();
  }

  @Override
  public LayerCompression layerCompression() {
    return LayerCompression.COMPRESS;
  }

  @Override
  public boolean ociOnly() {
    return true;
  }

  @Override
  public boolean hasBlob(Descriptor blob) {
    return written.contains(blob.digest());
  }

  @Override
  public void putBlob(Descriptor blob, InputStream in) throws RegistryException {
    if (!written.add(blob.digest())) {
      return;
    }
    try {
      tar.file(entry(blob.digest()), blob.size(), in);
    } catch (IOException e) {
      throw failed(blob.digest().toString(), e);
    }
  }

  @Override
  public Descriptor putNewBlob(String mediaType, InputStream in) throws RegistryException {
    try {
      return tar.streamedBlob(mediaType, in, d -> written.add(d) ? entry(d) : null);
    } catch (IOException e) {
      throw failed("a " + mediaType + " blob", e);
    }
  }

  @Override
  public void putManifest(byte[] manifest, String mediaType, Digest digest, List<String> names)
      throws RegistryException {
    putBlob(Descriptor.of(mediaType, digest, manifest.length), new java.io.ByteArrayInputStream(manifest));
    index.add(mediaType, digest, manifest.length, names);
  }

  @Override
  public void putChildManifest(byte[] manifest, String mediaType, Digest digest) throws RegistryException {
    putBlob(Descriptor.of(mediaType, digest, manifest.length), new java.io.ByteArrayInputStream(manifest));
  }

  @Override
  public void commit() throws RegistryException {
    try {
      tar.file("index.json", index.write(Optional.empty(), describe()));
      tar.commit();
    } catch (IOException e) {
      throw failed("index.json", e);
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

  private static String entry(Digest d) {
    return "blobs/" + d.algorithm() + "/" + d.hex();
  }

  private RegistryException failed(String what, IOException e) {
    return DiskSpace.writeFailed(what, describe(), e);
  }
}
