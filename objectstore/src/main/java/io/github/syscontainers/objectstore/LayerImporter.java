package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImagePath;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports one layer in a single streaming pass: compressed bytes, decompressed by magic, hashed for the DiffID, read
 * as tar entries and stored as content objects, with no temporary extraction. Whiteout files ({@code .wh.NAME},
 * {@code .wh..wh..opq}) are kept as ordinary files, as skopeo's ostree transport kept them, so checkout applies
 * them.
 *
 * <p>Hostile entries are refused with a message naming the entry: {@code ..} components, hard links to anything but
 * an earlier entry of the same layer, invalid whiteouts, device nodes. Sizes, counts and ratios are capped by
 * {@link ImportLimits}.
 *
 * <p>Not thread-safe; use one per import.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md">OCI layer format</a>
 */
public final class LayerImporter {
  private static final Logger LOG = LoggerFactory.getLogger(LayerImporter.class);
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final OstreeRepository repo;
  private final ImportLimits limits;

  public LayerImporter(OstreeRepository repo, ImportLimits limits) {
    this.repo = repo;
    this.limits = limits;
  }

  /**
   * Reads the whole of {@code blob} (not closed) and stores its entries. When {@code expectedDiffId} is given, the
   * digest of the uncompressed stream must equal it.
   *
   * @param description names the layer in error messages, for example its digest
   */
  public ImportedLayer importLayer(InputStream blob, Optional<Digest> expectedDiffId, String description)
      throws ObjectStoreException {
    CountingInputStream compressed = new CountingInputStream(blob);
    MessageDigest sha = Digest.newSha256();
    MutableTree root = new MutableTree();
    long entries = 0;
    MeteredInputStream metered;
    MutableTree.Written written;
    String current = "";
    try (RepoLock lock = repo.lockShared()) {
      InputStream decompressed = Decompression.open(new BufferedInputStream(compressed, 64 * 1024));
      metered = new MeteredInputStream(decompressed, sha, limits, compressed::count);
      TarArchiveInputStream tar = new TarArchiveInputStream(metered, StandardCharsets.UTF_8.name());
      Map<ImagePath, ObjectId> stored = new HashMap<>();
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        current = entry.getName();
        if (++entries > limits.maxEntries()) {
          throw new MeteredInputStream.LayerRejectedException(
              "the layer has more than " + limits.maxEntries() + " entries, the import limit");
        }
        store(entry, tar, root, stored);
      }
      metered.drain();
      written = root.write(repo);
    } catch (MeteredInputStream.LayerRejectedException e) {
      throw new ObjectStoreException("Refused layer " + description + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ObjectStoreException(
          "Refused layer " + description + ": entry '" + current + "': " + e.getMessage(), e);
    } catch (ObjectStoreException e) {
      throw e;
    } catch (IOException e) {
      throw new ObjectStoreException(
          "Tried to import layer " + description + " but its stream is broken near entry '" + current + "': "
              + e.getMessage() + "; the archive or blob is truncated or corrupt, fetch it again",
          e);
    }
    Digest diffId = Digest.sha256(sha.digest());
    if (expectedDiffId.isPresent() && !expectedDiffId.get().equals(diffId)) {
      throw new ObjectStoreException(
          "Layer " + description + " decompresses to " + diffId + " but the image config says its DiffID is "
              + expectedDiffId.get() + "; the image is corrupt or was altered, fetch it again");
    }
    return new ImportedLayer(written, diffId, metered.count(), entries);
  }

  private void store(TarArchiveEntry e, InputStream tar, MutableTree root, Map<ImagePath, ObjectId> stored)
      throws IOException {
    ImagePath path = ImagePath.of(e.getName());
    if (e.isDirectory()) {
      MutableTree dir = resolveDir(root, path);
      dir.setMeta(new FileMeta(uid(e), gid(e), FileMeta.S_IFDIR | (e.getMode() & 07777), xattrs(e)));
      return;
    }
    if (path.isRoot()) {
      throw new IllegalArgumentException("a non-directory entry for the layer root");
    }
    String name = path.fileName();
    validateWhiteout(name);
    MutableTree parent = resolveDir(root, path.parent());
    ObjectId id;
    if (e.isSymbolicLink()) {
      FileMeta meta = new FileMeta(uid(e), gid(e), FileMeta.S_IFLNK | 0777, xattrs(e));
      id = repo.writeSymlink(meta, e.getLinkName()).id();
    } else if (e.isLink()) {
      ImagePath target = ImagePath.of(e.getLinkName());
      id = stored.get(target);
      if (id == null) {
        throw new IllegalArgumentException(
            "a hard link to '" + e.getLinkName() + "', which is not an earlier file of this layer");
      }
    } else if (e.isCharacterDevice() || e.isBlockDevice()) {
      throw new IllegalArgumentException(
          "a " + (e.isCharacterDevice() ? "character" : "block") + " device node (" + e.getDevMajor() + ","
              + e.getDevMinor() + "); device nodes are refused: OSTree cannot store them and a system container "
              + "gets its devices from the runtime");
    } else if (e.isFIFO()) {
      LOG.debug("Skipping FIFO {}: OSTree cannot store FIFOs", path);
      return;
    } else if (e.isFile()) {
      FileMeta meta = new FileMeta(uid(e), gid(e), FileMeta.S_IFREG | (e.getMode() & 07777), xattrs(e));
      id = repo.writeFile(meta, tar, e.getSize()).id();
    } else {
      LOG.debug("Skipping tar entry {} of unsupported type", path);
      return;
    }
    parent.putFile(name, id);
    stored.put(path, id);
  }

  /** Returns the directory at {@code path}, creating missing parents with default metadata. */
  private static MutableTree resolveDir(MutableTree root, ImagePath path) {
    MutableTree dir = root;
    for (String c : path.components()) {
      dir = dir.directory(c);
    }
    return dir;
  }

  private static void validateWhiteout(String name) {
    if (!name.startsWith(WHITEOUT) || name.equals(OPAQUE)) {
      return;
    }
    String target = name.substring(WHITEOUT.length());
    if (target.isEmpty() || target.equals(".") || target.equals("..") || target.startsWith(WHITEOUT)) {
      throw new IllegalArgumentException("an invalid whiteout '" + name + "'");
    }
  }

  private static int uid(TarArchiveEntry e) {
    return (int) e.getLongUserId();
  }

  private static int gid(TarArchiveEntry e) {
    return (int) e.getLongGroupId();
  }

  private static List<Xattr> xattrs(TarArchiveEntry e) {
    Map<String, String> pax = e.getExtraPaxHeaders();
    if (pax.isEmpty()) {
      return List.of();
    }
    List<Xattr> out = new ArrayList<>();
    for (Map.Entry<String, String> h : pax.entrySet()) {
      String key = h.getKey();
      if (key.startsWith("SCHILY.xattr.")) {
        // PAX values are UTF-8 text; binary xattrs were written byte for byte and decode as ISO-8859-1 would lose
        // nothing only when the writer used the raw bytes, which Go's archive/tar does.
        out.add(new Xattr(key.substring("SCHILY.xattr.".length()), h.getValue().getBytes(StandardCharsets.ISO_8859_1)));
      } else if (key.startsWith("LIBARCHIVE.xattr.")) {
        out.add(new Xattr(key.substring("LIBARCHIVE.xattr.".length()), Base64.getDecoder().decode(h.getValue())));
      }
    }
    return out;
  }
}
