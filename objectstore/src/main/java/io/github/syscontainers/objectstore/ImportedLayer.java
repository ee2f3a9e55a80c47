package io.github.syscontainers.objectstore;

import io.github.syscontainers.model.Digest;

/**
 * The result of importing a layer's tar stream: the root directory's objects, the digest and size of the
 * uncompressed stream (the DiffID), and how many entries were stored.
 */
public record ImportedLayer(MutableTree.Written root, Digest diffId, long uncompressedSize, long entries) {}
