package io.github.syscontainers.platform;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.lang.ref.Cleaner;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds OpenSSL's libcrypto: 3, or else 1.1 (the EVP calls the provider makes are the same in both). */
final class Libcrypto {
  private static final Logger LOG = LoggerFactory.getLogger(Libcrypto.class);
  private static final Optional<NativeLibrary> LIBRARY = find();
  /** Frees the native contexts of digests and ciphers that are no longer reachable. */
  static final Cleaner CLEANER = Cleaner.create();

  private Libcrypto() {}

  /** The library, or empty when there is none or {@code -Dsyscontainers.libcrypto=false} turns it off. */
  static Optional<NativeLibrary> library() {
    return LIBRARY;
  }

  /**
   * Binds {@code cls}'s native methods to libcrypto; false when there is none or it lacks one of them (the JDK's
   * algorithm then stays in use).
   */
  static boolean register(Class<?> cls) {
    return LIBRARY
        .map(
            lib -> {
              try {
                Native.register(cls, lib);
                return true;
              } catch (UnsatisfiedLinkError | RuntimeException e) {
                LOG.debug("libcrypto lacks what {} needs ({}); the JDK's stays in use", cls.getSimpleName(), e.toString());
                return false;
              }
            })
        .orElse(false);
  }

  private static Optional<NativeLibrary> find() {
    if (!com.sun.jna.Platform.isLinux() || "false".equals(System.getProperty("syscontainers.libcrypto"))
        || !io.github.syscontainers.platform.Platform.nativeAllowed()) {
      return Optional.empty();
    }
    UnsatisfiedLinkError last = null;
    for (String name : new String[] {"libcrypto.so.3", "libcrypto.so.1.1"}) {
      try {
        return Optional.of(NativeLibrary.getInstance(name));
      } catch (UnsatisfiedLinkError e) {
        last = e;
      }
    }
    LOG.debug("no libcrypto.so.3 or libcrypto.so.1.1 ({}); hashing and ciphers stay the JDK's", String.valueOf(last));
    return Optional.empty();
  }
}
