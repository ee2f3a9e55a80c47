package io.github.syscontainers.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Recomputes a content object's checksum from its stored metadata and payload, as ostree fsck does. */
final class ContentHasher {
  private ContentHasher() {}

  static ObjectId checksum(OstreeRepository repo, ContentObject obj) throws IOException {
    byte[] header = OstreeCodec.encodeFileHeader(obj.meta(), obj.symlinkTarget());
    MessageDigest sha = io.github.syscontainers.model.Digest.newSha256();
    sha.update(OstreeCodec.headerPrefix(header.length));
    sha.update(header);
    if (!obj.isSymlink()) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      try (InputStream in = repo.openPayload(obj)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
          total += n;
        }
      }
      if (repo.mode() == RepoMode.ARCHIVE && total != obj.size()) {
        throw new ObjectStoreException("its payload is " + total + " bytes, its header says " + obj.size());
      }
    }
    return ObjectId.of(sha.digest());
  }
}
