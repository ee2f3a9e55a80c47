package io.github.syscontainers.objectstore.tar;

import java.io.IOException;

/**
 * What a {@link TarReader} reads, told as it reads it, so that the stream can be rebuilt byte for byte from the
 * files it held (tar-split, as containers/storage keeps it): every byte that is not an entry's data (headers,
 * extended headers, padding, the end blocks and anything after them) goes to {@link #raw}; each entry is announced
 * by {@link #entry} with its name as the archive spells it and the size of its data, which then goes to
 * {@link #data}.
 */
public interface TarSplitSink {
  /** A sink that keeps nothing. */
  TarSplitSink NONE = new TarSplitSink() {};

  /** Bytes of the stream that are not an entry's data. */
  default void raw(byte[] b, int off, int len) throws IOException {}

  /** An entry begins: {@code name} as the archive spells it (PAX path, GNU long name or ustar prefix and name). */
  default void entry(byte[] name, long size) throws IOException {}

  /** Bytes of the current entry's data. */
  default void data(byte[] b, int off, int len) throws IOException {}
}
