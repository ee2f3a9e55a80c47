package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Recomputes a content object's checksum from its stored metadata and payload, as ostree fsck does. */
final class ContentHasher {
  private ContentHasher() {}

  static ObjectId checksum(OstreeRepository repo, ContentObject obj) throws IOException {
    if (obj.isSymlink()) {
      return checksum(obj.meta(), obj.symlinkTarget(), InputStream.nullInputStream(), 0);
    }
    try (InputStream in = repo.openPayload(obj)) {
      long expected = repo.mode() == RepoMode.ARCHIVE ? obj.size() : -1;
      return checksum(obj.meta(), obj.symlinkTarget(), in, expected);
    }
  }

  /**
   * The checksum of content with this metadata and payload (read to its end, not closed); {@code expectedSize}, when
   * not negative, is what the payload must add up to.
   */
  static ObjectId checksum(FileMeta meta, String symlinkTarget, InputStream payload, long expectedSize)
      throws IOException {
    byte[] header = OstreeCodec.encodeFileHeader(meta, symlinkTarget);
    MessageDigest sha = io.github.syscontainers.model.Digest.newSha256();
    sha.update(OstreeCodec.headerPrefix(header.length));
    sha.update(header);
    if (!meta.isSymlink()) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = payload.read(buf)) > 0) {
        sha.update(buf, 0, n);
        total += n;
      }
      if (expectedSize >= 0 && total != expectedSize) {
        throw new ObjectStoreException("its payload is " + total + " bytes, its header says " + expectedSize);
      }
    }
    return ObjectId.of(sha.digest());
  }
}
