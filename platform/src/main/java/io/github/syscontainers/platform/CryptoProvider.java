package io.github.syscontainers.platform;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * SHA-256 and AES-GCM from a maintained native provider, the Amazon Corretto Crypto Provider (AWS-LC inside), put
 * first in the JVM's list for those two algorithms only, and loaded at their first use. The JDK's own are as fast
 * only once C2 has compiled their intrinsics; a short-lived process spends seconds of CPU compiling to get there,
 * and run with C1 alone (as the launcher runs the CLI) the JDK hashes at a tenth of the speed and decrypts TLS at 30
 * MB/s. AWS-LC runs at full speed from the first byte, whatever the JIT does.
 *
 * <p>No digest or cipher of our own: each service hands out the Corretto provider's own object, once the provider
 * has loaded and its SHA-256 or AES-GCM has passed {@link CryptoSelfTest}'s known-answer tests; when it cannot load
 * (another architecture, its jar left out, {@code -Dsyscontainers.native=false}, {@code -Dsyscontainers.crypto=false}
 * or the older {@code -Dsyscontainers.libcrypto=false}), the JDK's serves, as everything else the JDK's provider
 * list serves (signatures, key agreement, the TLS handshake's other pieces) keeps doing.
 *
 * <p>Thread-safe; each digest or cipher object is for one thread, as every {@code MessageDigest} and
 * {@code Cipher} is.
 */
public final class CryptoProvider extends Provider {
  private static final long serialVersionUID = 1L;
  /** The name this provider has in the JVM's list. */
  public static final String NAME = "SyscontainersCrypto";
  /** Digests and ciphers handed out, for tests: TLS through JSSE takes its ciphers here. */
  static final LongAdder HANDED_OUT = new LongAdder();

  private CryptoProvider() {
    super(NAME, "2.0", "SHA-256 and AES-GCM of the Amazon Corretto Crypto Provider, self-tested at first use");
  }

  private synchronized void offerDigest() {
    if (getService("MessageDigest", "SHA-256") == null) {
      putService(new Lazy(this, "MessageDigest", "SHA-256", Corretto::sha256));
    }
  }

  private synchronized void offerCipher() {
    if (getService("Cipher", "AES/GCM/NoPadding") == null) {
      putService(new Lazy(this, "Cipher", "AES/GCM/NoPadding", Corretto::aesGcm));
    }
  }

  /** The provider in the JVM's list, put first there when it is not yet. */
  private static CryptoProvider installed() {
    Provider p = Security.getProvider(NAME);
    if (p instanceof CryptoProvider) {
      return (CryptoProvider) p;
    }
    CryptoProvider ours = new CryptoProvider();
    Security.insertProviderAt(ours, 1);
    return ours;
  }

  /**
   * Installs the provider first in the JVM's list, once, and loads the native one behind it; false when that cannot
   * be loaded (the JDK's SHA-256 and AES-GCM then stay in use).
   */
  public static boolean install() {
    installLazily();
    return Corretto.sha256();
  }

  /**
   * Installs the provider first in the JVM's list, once, without loading anything: the native provider loads at the
   * first digest or cipher asked for, and when it cannot, the JDK's serves it. A command that hashes nothing large (a
   * warm install, which checks only small metadata objects, with {@link #jdkSha256()}) loads no native code for it.
   */
  public static synchronized void installLazily() {
    CryptoProvider p = installed();
    p.offerDigest();
    p.offerCipher();
  }

  /**
   * As {@link #installLazily()}, AES-GCM only: for a registry's TLS connections, whose ciphers are chosen at their
   * handshake and kept, before it is known whether the image is large enough for the native SHA-256 to pay for its
   * start; {@link #installLazily()} later adds SHA-256 (digests are asked for one per blob).
   */
  public static synchronized void installCipherLazily() {
    installed().offerCipher();
  }

  /**
   * SHA-256 of the native provider, loaded and self-tested at the first digest, from a provider outside the JVM's
   * list: for {@code MessageDigest.getInstance("SHA-256", provider)} (what {@code Digest.preferSha256} does), which
   * then throws {@code NoSuchAlgorithmException} when the native one cannot load. Putting a provider in the list
   * makes the JDK load every provider it lists first (SunJCE, SunJSSE, SunEC...: 30 ms of a start, about 10 with
   * their classes in the class-data archive); a digest asked of a provider object touches no list. AES-GCM, which
   * JSSE takes from the list at each handshake, is still installed there ({@link #installCipherLazily()}), only once
   * a TLS connection is to be made.
   */
  public static Provider sha256Lazily() {
    return Unlisted.SHA256;
  }

  /** The provider {@link #sha256Lazily()} gives, made at its first use. */
  private static final class Unlisted {
    static final CryptoProvider SHA256 = digestsOnly();

    private static CryptoProvider digestsOnly() {
      CryptoProvider p = new CryptoProvider();
      p.offerDigest();
      return p;
    }
  }

  /** What serves SHA-256 once installed, for {@code --version} and the logs: the native provider or the JDK. */
  public static String sha256Source() {
    return Corretto.sha256() ? Corretto.PROVIDER.getName() + " " + Corretto.PROVIDER.getVersionStr() : "the JDK";
  }

  /**
   * The JDK's own SHA-256, for inputs of a few kilobytes (metadata objects): as fast there as a native one, and it
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

  /**
   * A service that hands out the native provider's object for its algorithm once that provider has loaded and
   * passed the self-test; when it cannot, the next provider's (the JDK's) serves.
   */
  private static final class Lazy extends Service {
    private final BooleanSupplier ready;

    Lazy(Provider p, String type, String algorithm, BooleanSupplier ready) {
      super(p, type, algorithm, Lazy.class.getName(), null, null);
      this.ready = ready;
    }

    @Override
    public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
      if (!ready.getAsBoolean()) {
        // the JCA then asks the next provider (the JDK's) for the algorithm; later calls go there directly
        ((CryptoProvider) getProvider()).drop(this);
        throw new NoSuchAlgorithmException(getAlgorithm() + " from the native provider: it is not loaded");
      }
      Provider real = getType().equals("MessageDigest") ? Corretto.SHA256_ONLY : Corretto.PROVIDER;
      Service theirs = real.getService(getType(), getAlgorithm());
      if (theirs == null) {
        throw new NoSuchAlgorithmException(real.getName() + " has no " + getAlgorithm());
      }
      Object spi = theirs.newInstance(parameter);
      HANDED_OUT.increment();
      return spi;
    }
  }
}
