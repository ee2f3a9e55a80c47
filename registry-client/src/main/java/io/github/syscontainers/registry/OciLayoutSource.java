package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Reads an image from an OCI image layout directory ({@code oci:DIR[:REF]}). Blob paths are built from validated
 * digests only, and opened without following symlinks.
 *
 * <p>Thread-safe.
 */
public final class OciLayoutSource implements ImageSource {
  private final Path dir;
  private final Optional<String> ref;
  private Optional<String> refName = Optional.empty();

  OciLayoutSource(Path dir, Optional<String> ref) {
    this.dir = dir;
    this.ref = ref;
  }

  @Override
  public ResolvedImage resolve(Platform platform, ManifestGate gate) throws RegistryException {
    String what = "the OCI layout " + dir;
    if (!Files.isDirectory(dir)) {
      String why = !Files.exists(dir) ? "no such directory; check the path after oci:"
          : Files.isRegularFile(dir) ? "it is a file, not a directory; for a tar file write oci-archive:" + dir
          : "it is not a directory; check the path after oci:";
      throw new RegistryException("Cannot read " + what + ": " + why);
    }
    try {
      byte[] index = read(dir.resolve("index.json"), what);
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
    return Attachments.inLayout(read(dir.resolve("index.json"), "the OCI layout " + dir), digest, this::openBlob,
        "the OCI layout " + dir);
  }

  @Override
  public List<SigstoreBundleBlob> sigstoreBundles(Digest digest) throws RegistryException {
    return Referrers.inLayout(read(dir.resolve("index.json"), "the OCI layout " + dir), digest, this,
        "the OCI layout " + dir);
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws RegistryException {
    Path p = dir.resolve("blobs").resolve(blob.digest().algorithm()).resolve(blob.digest().hex());
    try {
      InputStream raw =
          Channels.newInputStream(Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
      return new VerifyingInputStream(raw, blob, "the OCI layout " + dir);
    } catch (NoSuchFileException e) {
      throw new RegistryException("Blob " + blob.digest() + " is missing from the OCI layout " + dir);
    } catch (IOException e) {
      throw new RegistryException("Tried to open blob " + p + " but failed: " + e, e);
    }
  }

  private static byte[] read(Path p, String what) throws RegistryException {
    try {
      if (Files.size(p) > ManifestResolver.MAX_MANIFEST) {
        throw new RegistryException(p + " in " + what + " is too large to be an index");
      }
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new RegistryException(what + " has no index.json; it is not an OCI image layout");
    } catch (IOException e) {
      throw new RegistryException("Tried to read " + p + " but failed: " + e, e);
    }
  }

  @Override
  public String imageName() {
    return LayoutIndex.imageName(dir, ref.or(() -> refName));
  }

  @Override
  public void close() {}
}
