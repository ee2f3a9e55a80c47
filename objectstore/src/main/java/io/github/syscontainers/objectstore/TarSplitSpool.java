package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.apache.commons.io.output.DeferredFileOutputStream;

/**
 * Where a layer's tar-split record goes while the layer is imported: memory up to the repository's inline limit
 * ({@link RepoConfig#tarSplitInlineMax}), then a temporary file beside the stored records, so that a layer of a
 * million entries does not hold its record in memory. {@link #finish} says what the layer commit's metadata keeps: the
 * record itself ({@code tarsplit.output}, as skopeo's ostree transport kept it) when it stayed small, or, for a larger
 * one, the SHA-256 of the record file ({@code syscontainers.tarsplit.object}), which is synced and renamed into
 * {@link TarSplitRecords} under the layer's hex, so that commit objects stay small (ostree refuses metadata objects
 * over 128 MiB on pull, and reads a commit whole).
 *
 * <p>Not thread-safe: one per layer import. Closing removes a record file that was not kept.
 */
final class TarSplitSpool implements AutoCloseable {
  private final Path dir;
  private final Digest layer;
  private final Path tmp;
  private final DeferredFileOutputStream deferred;
  private final MessageDigest sha = Digest.newSha256();
  private final DigestOutputStream out;
  private boolean kept;

  TarSplitSpool(Path dir, Digest layer, int inlineMax) {
    this.dir = dir;
    this.layer = layer;
    this.tmp = dir.resolve("." + layer.hex() + ".tmp-" + ProcessHandle.current().pid() + "-"
        + Thread.currentThread().getId());
    this.deferred = DeferredFileOutputStream.builder().setThreshold(inlineMax).setOutputFile(tmp)
        .setBufferSize(Math.min(inlineMax, 64 * 1024) + 1).get();
    this.out = new DigestOutputStream(deferred, sha);
  }

  /** The stream the record is written to. */
  OutputStream stream() {
    return out;
  }

  /**
   * Ends the record and returns the layer commit's metadata that keeps it; a record kept in a file of its own is synced
   * and renamed into place first.
   */
  Map<String, String> finish() throws ObjectStoreException {
    try {
      out.close();
      if (deferred.isInMemory()) {
        return Map.of(ImageStore.TAR_SPLIT, Base64.getEncoder().encodeToString(deferred.getData()));
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(layer.hex()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      kept = true;
      return Map.of(ImageStore.TAR_SPLIT_OBJECT, Digest.sha256(sha.digest()).toString());
    } catch (IOException e) {
      if (DiskFull.in(e)) {
        throw DiskFull.whileImporting(dir, layer.toString(), e);
      }
      throw new ObjectStoreException("Cannot keep the tar-split record of layer " + layer + " in " + dir + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws ObjectStoreException {
    try {
      out.close();
      if (!kept) {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ObjectStoreException("Cannot remove " + tmp + ": " + e.getMessage(), e);
    }
  }
}
