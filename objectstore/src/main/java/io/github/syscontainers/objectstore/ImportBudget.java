package io.github.syscontainers.objectstore;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The uncompressed bytes one image's import may still take ({@link ImportLimits#maxImageBytes()}), shared by the
 * imports of its layers, which run in parallel. Layers already in the store count with their recorded size.
 *
 * <p>Thread-safe.
 */
public final class ImportBudget {
  private final ImportLimits limits;
  private final String remedy;
  private final AtomicLong used = new AtomicLong();

  /**
   * A budget for one image.
   *
   * @param remedy what the user can do to raise a limit, for messages
   */
  public ImportBudget(ImportLimits limits, String remedy) {
    this.limits = limits;
    this.remedy = remedy;
  }

  /** A budget with the message's remedy naming the config keys only. */
  public static ImportBudget of(ImportLimits limits) {
    return new ImportBudget(limits, "raise max-layer-size or max-image-size in the [" + ImportLimits.GROUP
        + "] group of the repository's config");
  }

  /** The limits. */
  public ImportLimits limits() {
    return limits;
  }

  /** What to do to raise a limit, for messages. */
  String remedy() {
    return remedy;
  }

  /** Counts a layer the store already holds toward the image's total. */
  public void alreadyStored(long uncompressedBytes) {
    used.addAndGet(uncompressedBytes);
  }

  /** The bytes the image may still take. */
  long remaining() {
    return limits.maxImageBytes() - used.get();
  }

  /** Takes {@code n} more bytes; fails when the image's total passes its limit. */
  void charge(long n) throws MeteredInputStream.LayerRejectedException {
    long total = used.addAndGet(n);
    if (total > limits.maxImageBytes()) {
      throw new MeteredInputStream.LayerRejectedException(
          "the image expands to more than " + ByteSize.format(limits.maxImageBytes()) + ", the limit per image; if"
              + " the image is trusted, " + remedy);
    }
  }
}
