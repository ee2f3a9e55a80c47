package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads an image from an {@code oci-archive} (an OCI layout in a tar) in place: the tar is indexed once, and each
 * blob is read from its offset. Nothing is extracted, names are looked up cleaned inside the archive, and link
 * entries are resolved only inside it, so a hostile archive cannot reach the host filesystem.
 *
 * <p>Thread-safe: every blob read opens its own channel.
 */
public final class OciArchiveSource implements ImageSource {
  private final ArchiveIndex archive;
  private final Optional<String> ref;
  private Optional<String> refName = Optional.empty();

  private OciArchiveSource(ArchiveIndex archive, Optional<String> ref) {
    this.archive = archive;
    this.ref = ref;
  }

  /** Indexes the archive. */
  static OciArchiveSource open(Path file, Optional<String> ref) throws RegistryException {
    ArchiveIndex archive = ArchiveIndex.open(file, "oci-archive");
    if (!archive.contains("index.json")) {
      throw new RegistryException(
          "The archive " + file + " has no index.json; it is not an oci-archive"
              + (archive.contains("manifest.json") ? " but a docker-archive: use docker-archive:" + file : ""));
    }
    return new OciArchiveSource(archive, ref);
  }

  @Override
  public ResolvedImage resolve(Platform platform, ManifestGate gate) throws RegistryException {
    String what = "the archive " + archive.file();
    try {
      byte[] index = archive.read("index.json", ManifestResolver.MAX_MANIFEST);
      LayoutIndex.Resolution r = LayoutIndex.resolve(index, ref, this::openBlob, platform, what, gate);
      refName = r.refName();
      return r.image();
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to read " + what + " but failed: " + e, e);
    }
  }

  @Override
  public Optional<List<Descriptor>> sigstoreAttachments(Digest digest) throws RegistryException {
    return Attachments.inLayout(index(), digest, this::openBlob, "the archive " + archive.file());
  }

  @Override
  public List<SigstoreBundleBlob> sigstoreBundles(Digest digest) throws RegistryException {
    return Referrers.inLayout(index(), digest, this, "the archive " + archive.file());
  }

  private byte[] index() throws RegistryException {
    try {
      return archive.read("index.json", ManifestResolver.MAX_MANIFEST);
    } catch (IOException e) {
      throw e instanceof RegistryException ? (RegistryException) e
          : new RegistryException("Tried to read the index of " + archive.file() + " but failed: " + e, e);
    }
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws RegistryException {
    String name = "blobs/" + blob.digest().algorithm() + "/" + blob.digest().hex();
    return new VerifyingInputStream(archive.open(name), blob, "the archive " + archive.file());
  }

  @Override
  public String imageName() {
    return LayoutIndex.imageName(archive.file(), ref.or(() -> refName));
  }

  @Override
  public void close() {}
}
