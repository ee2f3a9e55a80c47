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
import java.util.Optional;

/**
 * Reads an image from containers/image's {@code dir:} transport: {@code manifest.json} (the manifest the reference
 * names), the manifests of an index as {@code HEX.manifest.json}, and each blob as a file named by its digest's hex
 * ({@code ALGO-HEX} for other algorithms than SHA-256). Paths are built from validated digests only, and opened
 * without following symlinks.
 *
 * <p>Thread-safe.
 */
public final class DirSource implements ImageSource {
  private final Path dir;

  DirSource(Path dir) {
    this.dir = dir;
  }

  /** The file a blob (or, with {@code suffix}, a manifest of an index) has in a {@code dir:} directory. */
  static String blobName(Digest d, String suffix) {
    return (d.algorithm().equals("sha256") ? d.hex() : d.algorithm() + "-" + d.hex()) + suffix;
  }

  private String what() {
    return "the directory " + dir;
  }

  @Override
  public ResolvedImage resolve(Platform platform, ManifestGate gate) throws RegistryException {
    if (!Files.isDirectory(dir)) {
      throw new RegistryException("Cannot read " + what() + ": " + (Files.exists(dir) ? "it is not a directory"
          : "no such directory") + "; check the path after dir:");
    }
    try {
      return ManifestResolver.resolve(fetcher(), Optional.empty(), platform, what(), gate);
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to read " + what() + " but failed: " + e, e);
    }
  }

  @Override
  public ResolvedImage resolveChild(Descriptor entry) throws RegistryException {
    try {
      return ManifestResolver.child(fetcher(), entry, what());
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to read " + what() + " but failed: " + e, e);
    }
  }

  /** manifest.json, the manifests of an index by digest, and blobs. */
  private ManifestResolver.Fetcher fetcher() {
    return new ManifestResolver.Fetcher() {
      @Override
      public ManifestResolver.Fetched fetch(Optional<Descriptor> d) throws IOException {
        Path p = dir.resolve(d.isEmpty() ? "manifest.json" : blobName(d.get().digest(), ".manifest.json"));
        return new ManifestResolver.Fetched(read(p), d.map(Descriptor::mediaType).orElse(""));
      }

      @Override
      public InputStream openBlob(Descriptor d) throws IOException {
        return DirSource.this.openBlob(d);
      }
    };
  }

  private byte[] read(Path p) throws IOException {
    try {
      if (Files.size(p) > ManifestResolver.MAX_MANIFEST) {
        throw new RegistryException(p + " in " + what() + " is over the 4 MiB limit of a manifest");
      }
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new RegistryException(what() + " has no " + p.getFileName() + "; it is not an image written by dir:");
    }
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws RegistryException {
    Path p = dir.resolve(blobName(blob.digest(), ""));
    try {
      InputStream raw =
          Channels.newInputStream(Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
      return new VerifyingInputStream(raw, blob, what());
    } catch (NoSuchFileException e) {
      throw new RegistryException("Blob " + blob.digest() + " is missing from " + what());
    } catch (IOException e) {
      throw new RegistryException("Tried to open blob " + p + " but failed: " + e, e);
    }
  }

  @Override
  public String imageName() {
    return LayoutIndex.imageName(dir, Optional.empty());
  }

  @Override
  public void close() {}
}
