package io.github.syscontainers.platform;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * ISA-L's {@code crc64_iso_refl} ({@code libisal.so.2}) as a {@link Crc64}: folded with carry-less multiplication,
 * several GB/s, where the Java twin on C1 makes a few hundred MB/s. Bound directly (JNA's direct mapping); the bytes
 * go through a native buffer per thread, 64 KiB at a time.
 */
final class IsalCrc64 implements Crc64 {
  static final IsalCrc64 INSTANCE = new IsalCrc64();
  private static final int CHUNK = 64 * 1024;
  /** Below this many bytes the Java loop is cheaper than a native call and a copy. */
  private static final int SMALL = 256;
  private static final ThreadLocal<Memory> BUFFERS = ThreadLocal.withInitial(() -> new Memory(CHUNK));
  static final boolean LOADED = register();

  private IsalCrc64() {}

  private static boolean register() {
    if (!IsalGzipInputStream.loaded()) {
      return false; // not there, or turned off (-Dsyscontainers.isal=false, -Dsyscontainers.native=false)
    }
    try {
      Native.register(IsalCrc64.class, NativeLibrary.getInstance("libisal.so.2"));
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
  }

  @Override
  public long update(long crc, byte[] b, int off, int len) {
    if (len < SMALL) {
      return JavaCrc64.INSTANCE.update(crc, b, off, len); // the same value, without a native call for a few bytes
    }
    Memory buf = BUFFERS.get();
    long c = crc;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      buf.write(0, b, off, n);
      c = crc64_iso_refl(c, buf, n);
      off += n;
      len -= n;
    }
    return c;
  }

  @Override
  public String name() {
    return "isal";
  }

  private static native long crc64_iso_refl(long initCrc, Pointer buf, long len);
}
