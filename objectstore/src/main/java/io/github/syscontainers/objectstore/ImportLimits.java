package io.github.syscontainers.objectstore;

import java.util.OptionalLong;

/**
 * What one image may cost the disk when it is imported: the uncompressed bytes of each layer, of the whole image,
 * and the tar entries of a layer. Sizes, not compression ratios: a real layer may hold a 100 MiB file of zeros (an
 * {@code /var/log/lastlog} after {@code useradd} with a high UID) that compresses a thousandfold, and is as welcome
 * as any other 100 MiB. The defaults pass the images people run as system containers, and stop a decompression bomb
 * (a 10 GiB stream of zeros in 10 MB) before it fills a disk. An administrator sets others in the repository's
 * config ({@code max-layer-size}, {@code max-image-size} and {@code max-layer-entries} in its
 * {@code [syscontainers]} group), a command by flag.
 *
 * @param maxLayerBytes the most bytes one layer may expand to
 * @param maxImageBytes the most bytes the layers of one image may expand to, together
 * @param maxEntries the most tar entries one layer may have
 */
public record ImportLimits(long maxLayerBytes, long maxImageBytes, long maxEntries) {
  /** The group of a repository's config that holds the limits. */
  public static final String GROUP = "syscontainers";

  /** 8 GiB per layer, 32 GiB per image, 2 million entries per layer. */
  public static final ImportLimits DEFAULT = new ImportLimits(8L << 30, 32L << 30, 2_000_000);

  public ImportLimits {
    if (maxLayerBytes <= 0 || maxImageBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("Import limits must be positive");
    }
  }

  /**
   * The limits a repository's config sets, the defaults for those it does not.
   *
   * @throws ObjectStoreException naming the key and file when a value is not a size
   */
  public static ImportLimits of(RepoConfig config, String where) throws ObjectStoreException {
    return new ImportLimits(
        size(config, "max-layer-size", DEFAULT.maxLayerBytes, where),
        size(config, "max-image-size", DEFAULT.maxImageBytes, where),
        size(config, "max-layer-entries", DEFAULT.maxEntries, where));
  }

  private static long size(RepoConfig config, String key, long fallback, String where) throws ObjectStoreException {
    var value = config.get(GROUP, key);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long n = ByteSize.parse(value.get());
      if (n <= 0) {
        throw new IllegalArgumentException("Invalid size '" + value.get() + "': it must be positive");
      }
      return n;
    } catch (IllegalArgumentException e) {
      throw new ObjectStoreException(key + " in the [" + GROUP + "] group of " + where + ": " + e.getMessage(), e);
    }
  }

  /** These limits, with a layer or image size given on the command line in place of the configured one. */
  public ImportLimits with(OptionalLong layerBytes, OptionalLong imageBytes) {
    return new ImportLimits(layerBytes.orElse(maxLayerBytes), imageBytes.orElse(maxImageBytes), maxEntries);
  }
}
