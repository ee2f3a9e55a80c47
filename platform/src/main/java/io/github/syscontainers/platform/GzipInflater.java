package io.github.syscontainers.platform;

import java.io.IOException;
import java.io.InputStream;

/**
 * Inflates gzip streams (every member, as {@code gzip -d} does): ISA-L's inflate when it is there and passes its
 * self-test, else the JDK's zlib, its pure-Java twin. Both give the same bytes and refuse the same input
 * ({@code GzipDifferentialTest}).
 */
public interface GzipInflater {
  /** The decompressed stream of {@code compressed}, positioned at a gzip header; closing it closes that. */
  InputStream open(InputStream compressed) throws IOException;

  /** {@code isal} or {@code zlib}. */
  String name();
}
