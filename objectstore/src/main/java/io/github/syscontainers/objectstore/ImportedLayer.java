package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;
import java.util.Optional;

/**
 * The result of importing a layer's tar stream: the root directory's objects, the digest and size of the
 * uncompressed stream (the DiffID), how many entries were stored, and, when the repository keeps them, the tar-split
 * record (gzip-compressed JSON) from which the stream can be rebuilt byte for byte.
 */
public record ImportedLayer(MutableTree.Written root, Digest diffId, long uncompressedSize, long entries,
    Optional<byte[]> tarSplit) {
  public ImportedLayer {
    tarSplit = tarSplit.map(byte[]::clone);
  }

  @Override
  public Optional<byte[]> tarSplit() {
    return tarSplit.map(byte[]::clone);
  }
}
