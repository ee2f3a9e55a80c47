package io.github.syscontainers.api;

/** {@code --dest-compress-format}: what every layer of a copy is recompressed to. */
public enum Compression {
  GZIP,
  /** zstd; its layers need an OCI manifest, so a Docker one is converted. */
  ZSTD,
  /** zstd with each file a frame of its own and a table of contents: what partial pulls fetch file by file. */
  ZSTD_CHUNKED
}
