package io.github.syscontainers.objectstore;

import io.github.syscontainers.objectstore.gvariant.Variant;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Writes commit objects: no parent (never a fake all-zero one), an empty subject, string metadata. */
final class CommitWriter {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommitWriter.class);

  private CommitWriter() {}

  static ObjectId write(OstreeRepository repo, MutableTree.Written root, Map<String, String> metadata, Clock clock)
      throws ObjectStoreException {
    return write(repo, root, metadata, clock, true);
  }

  /**
   * Writes the commit; with {@code sync}, after making every object written so far durable, so that a ref may name
   * it at once. Without, the caller syncs before any ref names it (see {@link StoreTransaction}).
   */
  static ObjectId write(
      OstreeRepository repo, MutableTree.Written root, Map<String, String> metadata, Clock clock, boolean sync)
      throws ObjectStoreException {
    if (sync) {
      long t = System.nanoTime();
      repo.syncObjects();
      LOG.debug("synced objects of {} in {} ms", repo.path(), (System.nanoTime() - t) / 1_000_000);
    }
    Map<String, Variant> md = new LinkedHashMap<>();
    metadata.forEach((k, v) -> md.put(k, Variant.ofString(v)));
    Commit c = new Commit(md, Optional.empty(), "", "", clock.instant().getEpochSecond(), root.tree(), root.meta());
    return repo.writeMetadata(ObjectType.COMMIT, OstreeCodec.encodeCommit(c)).id();
  }
}
