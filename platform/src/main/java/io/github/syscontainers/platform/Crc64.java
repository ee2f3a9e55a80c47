package io.github.syscontainers.platform;

/**
 * CRC-64 with the ISO polynomial, reflected, as Go's {@code hash/crc64} with {@code crc64.ISO} computes it: the
 * checksum tar-split keeps of each file's data (catalogued as CRC-64/GO-ISO; "123456789" gives
 * {@code b90956c775a41001}). Chained as Go's {@code crc64.Update}: start from 0 and pass each result to the next call.
 * {@link Platform#crc64()} gives ISA-L's or the pure-Java twin.
 *
 * <p>Implementations are thread-safe: they keep no state.
 */
public interface Crc64 {
  /** The checksum of the bytes so far, {@code crc} being that of the bytes before these (0 for none). */
  long update(long crc, byte[] b, int off, int len);

  /** Which implementation this is, for logs: {@code isal} or {@code java}. */
  String name();
}
