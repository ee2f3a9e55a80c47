package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.ImagePath;
import io.github.syscontainers.model.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Reads an image from an {@code oci-archive} (an OCI layout in a tar) in place: the tar is indexed once, and each
 * blob is read from its offset. Nothing is extracted, names are looked up cleaned inside the archive, and link
 * entries are never followed, so a hostile archive cannot reach the host filesystem.
 *
 * <p>Thread-safe: every blob read opens its own channel.
 */
public final class OciArchiveSource implements ImageSource {
  private final Path file;
  private final Optional<String> ref;
  private final Map<String, TarArchiveEntry> entries;
  private Optional<String> refName = Optional.empty();

  private OciArchiveSource(Path file, Optional<String> ref, Map<String, TarArchiveEntry> entries) {
    this.file = file;
    this.ref = ref;
    this.entries = entries;
  }

  /** Indexes the archive. */
  static OciArchiveSource open(Path file, Optional<String> ref) throws RegistryException {
    if (!Files.isRegularFile(file)) {
      throw new RegistryException(
          "Cannot read the archive " + file + ": no such file; check the path after oci-archive:");
    }
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ);
        TarFile tar = new TarFile(ch)) {
      for (TarArchiveEntry e : tar.getEntries()) {
        try {
          entries.put(ImagePath.of(e.getName()).toString(), e);
        } catch (IllegalArgumentException ignored) {
          // a name with ".." can never be looked up, so it can never be read
        }
      }
    } catch (IOException e) {
      throw new RegistryException(
          "Cannot read the archive " + file + ": " + e.getMessage() + "; it is truncated or not a tar file", e);
    }
    if (!entries.containsKey("/index.json")) {
      throw new RegistryException("The archive " + file + " has no index.json; it is not an oci-archive");
    }
    return new OciArchiveSource(file, ref, entries);
  }

  @Override
  public ResolvedImage resolve(Platform platform) throws RegistryException {
    String what = "the archive " + file;
    try {
      byte[] index = readEntry("/index.json", ManifestResolver.MAX_MANIFEST);
      LayoutIndex.Resolution r = LayoutIndex.resolve(index, ref, this::openBlob, platform, what);
      refName = r.refName();
      return r.image();
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to read " + what + " but failed: " + e, e);
    }
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws RegistryException {
    String name = "/blobs/" + blob.digest().algorithm() + "/" + blob.digest().hex();
    return new VerifyingInputStream(open(name), blob, "the archive " + file);
  }

  private InputStream open(String name) throws RegistryException {
    TarArchiveEntry e = entries.get(name);
    if (e == null) {
      throw new RegistryException("The archive " + file + " has no entry " + name.substring(1) + "; it is incomplete");
    }
    if (!e.isFile() || e.isLink() || e.isSymbolicLink()) {
      throw new RegistryException(
          "The archive " + file + " has " + name.substring(1) + " as a link or special file; refusing to follow it");
    }
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(e.getDataOffset());
      return new BoundedInputStream(Channels.newInputStream(ch), e.getSize());
    } catch (NoSuchFileException ex) {
      throw new RegistryException("The archive " + file + " disappeared while it was read");
    } catch (IOException ex) {
      throw new RegistryException("Tried to read " + name + " from " + file + " but failed: " + ex, ex);
    }
  }

  private byte[] readEntry(String name, long cap) throws IOException {
    TarArchiveEntry e = entries.get(name);
    if (e != null && e.getSize() > cap) {
      throw new RegistryException(name.substring(1) + " in " + file + " is too large");
    }
    try (InputStream in = open(name)) {
      return in.readAllBytes();
    }
  }

  @Override
  public String imageName() {
    return LayoutIndex.imageName(file, ref.or(() -> refName));
  }

  @Override
  public void close() {}

  /** Reads at most {@code limit} bytes, then reports the end. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
