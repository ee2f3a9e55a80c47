package io.github.syscontainers.platform;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;
import java.util.function.BooleanSupplier;

/**
 * SHA-256 and AES-GCM from OpenSSL's libcrypto (3, or 1.1), as a JCA provider. The JDK's own are as fast only once
 * C2 has compiled them (their intrinsics); a short-lived process spends seconds of CPU compiling to get there, and
 * run with C1 alone (as the launcher runs the CLI) the JDK hashes at a tenth of the speed and decrypts TLS at 30
 * MB/s. OpenSSL runs at full speed from the first byte, whatever the JIT does. The provider lives here, with the
 * module's other native code; TLS (the registry client's, through JSSE) uses its cipher once the CLI installs it.
 *
 * <p>{@link #install()} puts it first for {@code SHA-256} and {@code AES/GCM/NoPadding}; every
 * {@code MessageDigest.getInstance("SHA-256")} and {@code Cipher.getInstance("AES/GCM/NoPadding")}, JSSE's included,
 * then gets it when the library loads, and the JDK's when it does not.
 *
 * <p>Thread-safe; each digest or cipher object is for one thread, as every {@code MessageDigest} and
 * {@code Cipher} is.
 */
public final class LibcryptoProvider extends Provider {
  private static final long serialVersionUID = 1L;

  private LibcryptoProvider() {
    super("SyscontainersLibcrypto", "1.0", "SHA-256 and AES-GCM from OpenSSL's libcrypto");
    putService(new Lazy(this, "MessageDigest", "SHA-256", Sha256.class.getName(), () -> SelfTested.SHA256));
    putService(
        new Lazy(this, "Cipher", "AES/GCM/NoPadding", LibcryptoAesGcm.class.getName(), () -> SelfTested.AES_GCM));
  }

  /**
   * Installs the provider first in the JVM's list, once, and loads libcrypto; false when it cannot be loaded (the
   * JDK's SHA-256 and AES-GCM then stay in use) or {@code -Dsyscontainers.libcrypto=false} turns it off.
   */
  public static boolean install() {
    installLazily();
    return SelfTested.SHA256;
  }

  /**
   * Installs the provider first in the JVM's list, once, without loading anything: libcrypto (and JNA) load at the
   * first digest or cipher asked for, and when they cannot, the JDK's serves it. A command that hashes nothing
   * large (a warm install, which checks only small metadata objects, with {@link #jdkSha256()}) starts no native
   * code for it.
   */
  public static synchronized void installLazily() {
    if (Security.getProvider("SyscontainersLibcrypto") == null) {
      Security.insertProviderAt(new LibcryptoProvider(), 1);
    }
  }

  /**
   * The JDK's own SHA-256, for inputs of a few kilobytes (metadata objects): as fast there as libcrypto's, and it
   * needs no native library loaded.
   */
  public static MessageDigest jdkSha256() {
    try {
      return MessageDigest.getInstance("SHA-256", "SUN");
    } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException none) {
        throw new IllegalStateException("The JDK has no SHA-256", none);
      }
    }
  }

  private synchronized void drop(Service s) {
    removeService(s);
  }

  /** Whether each piece loaded and passed its known-answer self-test, decided once, at first use. */
  private static final class SelfTested {
    static final boolean SHA256 = Sha256.LOADED && LibcryptoSelfTest.sha256();
    static final boolean AES_GCM = LibcryptoAesGcm.LOADED && LibcryptoSelfTest.aesGcm();
  }

  /**
   * A service whose class serves only once libcrypto has loaded and passed its self-test; when it cannot, the next
   * provider's does.
   */
  private static final class Lazy extends Service {
    private final BooleanSupplier loaded;

    Lazy(Provider p, String type, String algorithm, String className, BooleanSupplier loaded) {
      super(p, type, algorithm, className, null, null);
      this.loaded = loaded;
    }

    @Override
    public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
      if (!loaded.getAsBoolean()) {
        // the JCA then asks the next provider (the JDK's) for the algorithm; later calls go there directly
        ((LibcryptoProvider) getProvider()).drop(this);
        throw new NoSuchAlgorithmException(getAlgorithm() + " from libcrypto: the library is not loaded");
      }
      return super.newInstance(parameter);
    }
  }

  /** One EVP_MD_CTX. */
  public static final class Sha256 extends MessageDigestSpi implements Cloneable {
    private static final int SCRATCH = 64 << 10;
    /** Native room for the bytes of one call, per thread: a digest is used by one thread at a time. */
    private static final ThreadLocal<Memory> BUFFER = ThreadLocal.withInitial(() -> new Memory(SCRATCH));
    static final boolean LOADED = Libcrypto.register(Sha256.class);
    private static final Pointer MD = LOADED ? EVP_sha256() : null;

    private Pointer ctx;
    private Cleaner.Cleanable cleanable;

    public Sha256() {
      init(EVP_MD_CTX_new());
      reset();
    }

    private void init(Pointer c) {
      if (c == null) {
        throw new OutOfMemoryError("EVP_MD_CTX_new failed");
      }
      ctx = c;
      cleanable = Libcrypto.CLEANER.register(this, new Free(c));
    }

    private void reset() {
      try {
        if (EVP_DigestInit_ex(ctx, MD, null) != 1) {
          throw new IllegalStateException("EVP_DigestInit_ex(SHA-256) failed");
        }
      } finally {
        // the Cleaner must not free the context while a native call still uses it
        Reference.reachabilityFence(this);
      }
    }

    @Override
    protected int engineGetDigestLength() {
      return 32;
    }

    @Override
    protected void engineUpdate(byte input) {
      engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      Memory scratch = BUFFER.get();
      try {
        while (len > 0) {
          int n = Math.min(len, SCRATCH);
          scratch.write(0, input, offset, n);
          if (EVP_DigestUpdate(ctx, scratch, n) != 1) {
            throw new IllegalStateException("EVP_DigestUpdate failed");
          }
          offset += n;
          len -= n;
        }
      } finally {
        Reference.reachabilityFence(this);
      }
    }

    @Override
    protected byte[] engineDigest() {
      byte[] out = new byte[32];
      try {
        if (EVP_DigestFinal_ex(ctx, out, null) != 1) {
          throw new IllegalStateException("EVP_DigestFinal_ex failed");
        }
      } finally {
        Reference.reachabilityFence(this);
      }
      reset();
      return out;
    }

    @Override
    protected int engineDigest(byte[] buf, int offset, int len) throws DigestException {
      if (len < 32) {
        throw new DigestException("a SHA-256 digest needs 32 bytes, the buffer has " + len);
      }
      System.arraycopy(engineDigest(), 0, buf, offset, 32);
      return 32;
    }

    @Override
    protected void engineReset() {
      reset();
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
      Sha256 copy = (Sha256) super.clone();
      copy.init(EVP_MD_CTX_new());
      try {
        if (EVP_MD_CTX_copy_ex(copy.ctx, ctx) != 1) {
          throw new CloneNotSupportedException("EVP_MD_CTX_copy_ex failed");
        }
      } finally {
        Reference.reachabilityFence(this);
        Reference.reachabilityFence(copy);
      }
      return copy;
    }

    /** Frees the context when its digest object is unreachable (holds no reference to it). */
    private record Free(Pointer ctx) implements Runnable {
      @Override
      public void run() {
        EVP_MD_CTX_free(ctx);
      }
    }

    static native Pointer EVP_MD_CTX_new();

    static native void EVP_MD_CTX_free(Pointer ctx);

    static native int EVP_MD_CTX_copy_ex(Pointer out, Pointer in);

    static native Pointer EVP_sha256();

    static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

    static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

    static native int EVP_DigestFinal_ex(Pointer ctx, byte[] md, Pointer size);
  }
}
