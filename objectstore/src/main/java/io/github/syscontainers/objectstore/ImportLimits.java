package io.github.syscontainers.objectstore;

/**
 * Caps that stop a hostile or broken layer before it fills the disk: total uncompressed bytes, entry count, and the
 * ratio of uncompressed to compressed bytes (gzip bombs), checked once more than {@code ratioFloorBytes} have been
 * expanded.
 *
 * @param maxUncompressedBytes the most bytes one layer may expand to
 * @param maxEntries the most tar entries one layer may have
 * @param maxRatio the highest uncompressed/compressed ratio allowed past the floor
 * @param ratioFloorBytes below this many uncompressed bytes, the ratio is not checked
 */
public record ImportLimits(long maxUncompressedBytes, long maxEntries, long maxRatio, long ratioFloorBytes) {
  /** 64 GiB, 2 million entries, ratio 200 past 64 MiB. */
  public static final ImportLimits DEFAULT = new ImportLimits(64L << 30, 2_000_000, 200, 64L << 20);

  public ImportLimits {
    if (maxUncompressedBytes <= 0 || maxEntries <= 0 || maxRatio <= 0 || ratioFloorBytes < 0) {
      throw new IllegalArgumentException("Import limits must be positive");
    }
  }
}
