package io.github.syscontainers.objectstore.chunked;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.util.Map;
import java.util.Optional;

/**
 * What a layer descriptor's annotations say of its table of contents: where the zstd:chunked table and tar-split
 * record lie in the blob and the checksum of the table, when the layer can be pulled in part; or why it is fetched
 * whole (an older zstd:chunked without a tar-split record, as skopeo 1.9.3 writes it, or eStargz, which has none:
 * without the record the rebuilt tar, and so the DiffID, could not be checked).
 */
public sealed interface ChunkedLayer {
  /** A zstd:chunked layer with its table of contents and tar-split record. */
  record Partial(Digest tocChecksum, Position toc, Position tarSplit) implements ChunkedLayer {}

  /** A layer with a table of contents that is nonetheless fetched whole, and why. */
  record Whole(String reason) implements ChunkedLayer {}

  /** Where a skippable frame's content lies: {@code offset}, compressed {@code length}, {@code uncompressed} size. */
  record Position(long offset, long length, long uncompressed) {}

  /** What {@code layer}'s annotations say; empty for a layer with no table of contents at all. */
  public static Optional<ChunkedLayer> of(Descriptor layer) {
    Map<String, String> a = layer.annotations();
    if (!layer.mediaType().endsWith("zstd") && !layer.mediaType().endsWith("gzip")) {
      return Optional.empty();
    }
    String checksum = a.get(ZstdChunkedWriter.MANIFEST_CHECKSUM);
    if (checksum != null && layer.mediaType().endsWith("zstd")) {
      String toc = a.get(ZstdChunkedWriter.MANIFEST_POSITION);
      String split = a.get(ZstdChunkedWriter.TARSPLIT_POSITION);
      if (split == null) {
        return Optional.of(new Whole("its zstd:chunked table of contents comes without a tar-split record, so the"
            + " layer's DiffID can only be checked on the whole blob"));
      }
      try {
        Position t = position(toc, 4);
        Position s = position(split, 3);
        if (!toc.endsWith(":1")) {
          return Optional.of(new Whole("its table of contents is of type " + toc.substring(toc.lastIndexOf(':') + 1)
              + ", not 1, the one known here"));
        }
        return Optional.of(new Partial(Digest.parse(checksum), t, s));
      } catch (IllegalArgumentException e) {
        return Optional.of(new Whole("its zstd:chunked annotations do not parse (" + e.getMessage() + ")"));
      }
    }
    if (a.containsKey("io.containers.zstd-chunked.manifest-checksum")) {
      return Optional.of(new Whole("its zstd:chunked table of contents is of the older kind (as skopeo 1.9.3 writes"
          + " it), without a tar-split record, so the layer's DiffID can only be checked on the whole blob"));
    }
    if (a.containsKey("containerd.io/snapshot/stargz/toc.digest")) {
      return Optional.of(new Whole("an eStargz layer carries no tar-split record, so its DiffID can only be checked"
          + " on the whole blob"));
    }
    return Optional.empty();
  }

  /** {@code OFFSET:LENGTH:UNCOMPRESSED[:TYPE]}. */
  private static Position position(String text, int fields) {
    if (text == null) {
      throw new IllegalArgumentException("a position is missing");
    }
    String[] f = text.split(":");
    if (f.length != fields) {
      throw new IllegalArgumentException("'" + text + "' is not " + fields + " numbers");
    }
    try {
      long offset = Long.parseLong(f[0]);
      long length = Long.parseLong(f[1]);
      long uncompressed = Long.parseLong(f[2]);
      if (offset < 0 || length <= 0 || uncompressed < 0) {
        throw new IllegalArgumentException("'" + text + "' is out of range");
      }
      return new Position(offset, length, uncompressed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not " + fields + " numbers", e);
    }
  }
}
