package io.github.syscontainers.registry;

import io.github.syscontainers.model.ImagePath;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The entries of an uncompressed tar file, indexed once by cleaned name, each read in place from its offset. Nothing
 * is extracted. A symbolic link entry is resolved by name inside the archive (docker save links
 * {@code ID/layer.tar} to {@code ../HEX.tar}), never on the host, and a link that leaves the archive's root, loops,
 * or is a hard link is refused. Names with {@code ..} can never be looked up.
 *
 * <p>Thread-safe: every read opens its own channel.
 */
final class ArchiveIndex {
  private static final int MAX_LINK_HOPS = 8;

  private final Path file;
  private final String transport;
  private final Map<String, TarArchiveEntry> entries;

  private ArchiveIndex(Path file, String transport, Map<String, TarArchiveEntry> entries) {
    this.file = file;
    this.transport = transport;
    this.entries = entries;
  }

  /**
   * Indexes {@code file}.
   *
   * @param transport names the source form in messages, for example {@code oci-archive}
   */
  static ArchiveIndex open(Path file, String transport) throws RegistryException {
    if (!Files.exists(file)) {
      throw new RegistryException(
          "Cannot read the archive " + file + ": no such file; check the path after " + transport + ":");
    }
    if (Files.isDirectory(file)) {
      throw new RegistryException(
          "Cannot read the archive " + file + ": it is a directory, not a tar file"
              + (transport.equals("oci-archive") ? "; for an OCI layout directory write oci:" + file : "")
              + ", or check the path after " + transport + ":");
    }
    if (!Files.isRegularFile(file)) {
      throw new RegistryException(
          "Cannot read the archive " + file + ": it is a device, pipe or socket, not a regular file; save the archive"
              + " to a file and give its path after " + transport + ":");
    }
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ);
        TarFile tar = new TarFile(ch)) {
      for (TarArchiveEntry e : tar.getEntries()) {
        String key;
        try {
          key = ImagePath.of(e.getName()).toString();
        } catch (IllegalArgumentException ignored) {
          continue; // a name with ".." can never be looked up, so it can never be read
        }
        TarArchiveEntry before = entries.put(key, e);
        if (before != null && !before.isDirectory() && !e.isDirectory()) {
          // which one a reader takes differs between tools (tar extracts the last): refuse rather than guess
          throw new RegistryException("The archive " + file + " holds " + display(key) + " twice; it is malformed"
              + " or was tampered with. Write it again with the tool that made it");
        }
      }
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException(
          "Cannot read the archive " + file + ": " + e.getMessage() + "; it is truncated, compressed or not a tar"
              + " file (decompress it first, for example with gunzip)", e);
    }
    return new ArchiveIndex(file, transport, entries);
  }

  Path file() {
    return file;
  }

  /** Returns true when the archive has an entry of that name (before any link is resolved). */
  boolean contains(String name) {
    return entries.containsKey(key(name));
  }

  /** Returns the size of the regular file that {@code name} names, links resolved. */
  long size(String name) throws RegistryException {
    return regular(name).getSize();
  }

  /** Opens the regular file that {@code name} names, links resolved inside the archive. The caller closes it. */
  InputStream open(String name) throws RegistryException {
    TarArchiveEntry e = regular(name);
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

  /** Reads a whole small entry, refusing one over {@code cap} bytes. */
  byte[] read(String name, long cap) throws IOException {
    TarArchiveEntry e = regular(name);
    if (e.getSize() > cap) {
      throw new RegistryException(
          name + " in " + file + " is " + e.getSize() + " bytes, over the " + cap + "-byte limit; the archive is"
              + " not a valid " + transport);
    }
    try (InputStream in = open(name)) {
      return in.readAllBytes();
    }
  }

  private TarArchiveEntry regular(String name) throws RegistryException {
    String key = key(name);
    String linkTarget = null;
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      TarArchiveEntry e = entries.get(key);
      if (e == null && linkTarget != null) {
        throw new RegistryException(
            "The archive " + file + " links " + display(name) + " to '" + linkTarget + "', which is not an entry of"
                + " the archive; refusing it (links are only followed inside the archive)");
      }
      if (e == null) {
        throw new RegistryException(
            "The archive " + file + " has no entry " + display(name) + "; it is incomplete or not a " + transport);
      }
      if (e.isSymbolicLink()) {
        linkTarget = e.getLinkName();
        key = resolveLink(key, linkTarget, name);
        continue;
      }
      if (!e.isFile() || e.isLink()) {
        throw new RegistryException(
            "The archive " + file + " has " + display(name) + " as a hard link or special file; refusing it");
      }
      return e;
    }
    throw new RegistryException(
        "The archive " + file + " has a chain of more than " + MAX_LINK_HOPS + " links at " + display(name)
            + "; refusing it");
  }

  /** Resolves a link target against the link's directory, inside the archive only. */
  private String resolveLink(String linkKey, String target, String name) throws RegistryException {
    List<String> parts = new ArrayList<>();
    if (!target.startsWith("/")) {
      parts.addAll(ImagePath.of(linkKey).parent().components());
    }
    for (String c : target.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (parts.isEmpty()) {
          throw new RegistryException(
              "The archive " + file + " links " + display(name) + " to '" + target + "', outside the archive;"
                  + " refusing it");
        }
        parts.remove(parts.size() - 1);
        continue;
      }
      parts.add(c);
    }
    return "/" + String.join("/", parts);
  }

  private String key(String name) {
    try {
      return ImagePath.of(name).toString();
    } catch (IllegalArgumentException e) {
      return "\0" + name; // never present: ".." names are not indexed
    }
  }

  private static String display(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  /** Reads at most {@code limit} bytes, then reports the end. */
  private static final class BoundedInputStream extends FilterInputStream {
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
