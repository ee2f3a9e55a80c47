package io.github.syscontainers.platform;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.amazon.corretto.crypto.provider.SHA256Spi;
import java.security.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Amazon Corretto Crypto Provider, loaded once, at first use: its class loads AWS-LC (from the directory
 * {@code -Dcom.amazon.corretto.crypto.provider.useExternalLib=true} and {@code java.library.path} name, as the
 * launcher sets them, or else unpacked from its jar into a temporary file). Its types stay in this class.
 */
final class Corretto {
  private static final Logger LOG = LoggerFactory.getLogger(Corretto.class);
  /** The provider when it loaded and is allowed; null otherwise. */
  static final AmazonCorrettoCryptoProvider PROVIDER = load();

  private Corretto() {}

  /** Whether its SHA-256 serves: loaded and self-tested, once, at first use. */
  static boolean sha256() {
    return Sha256.READY;
  }

  /** Whether its AES-GCM serves: loaded and self-tested, once, at first use (a pull from a file never asks). */
  static boolean aesGcm() {
    return AesGcm.READY;
  }

  /**
   * Its SHA-256 alone, the provider's own {@link SHA256Spi} (a public class) made by name as a JCA service makes it:
   * the provider's service would first run the provider's whole self-test suite (its five HMACs, its DRBG, AWS-LC's
   * own power-on tests: about 30 ms of every large pull or copy, warm), none of which is SHA-256's. Its known answers
   * are {@link CryptoSelfTest}'s. Null when the provider did not load.
   */
  static final Provider SHA256_ONLY = PROVIDER == null ? null : new Sha256Only(PROVIDER.getVersionStr());

  private static final class Sha256Only extends Provider {
    private static final long serialVersionUID = 1L;

    Sha256Only(String version) {
      super("CorrettoSha256", version, "the Amazon Corretto Crypto Provider's SHA-256, without its other services");
      putService(new Service(this, "MessageDigest", "SHA-256", SHA256Spi.class.getName(), null, null));
    }
  }

  private static final class Sha256 {
    static final boolean READY = SHA256_ONLY != null && CryptoSelfTest.sha256(SHA256_ONLY);
  }

  private static final class AesGcm {
    static final boolean READY = PROVIDER != null && CryptoSelfTest.aesGcm(PROVIDER);
  }

  /** Whether a switch turns the native provider off. */
  static boolean turnedOff() {
    return !Platform.nativeAllowed() || "false".equalsIgnoreCase(System.getProperty("syscontainers.crypto"))
        || "false".equalsIgnoreCase(System.getProperty("syscontainers.libcrypto"));
  }

  private static AmazonCorrettoCryptoProvider load() {
    if (turnedOff()) {
      LOG.debug("SHA-256 and AES-GCM: the JDK's (the native provider is turned off)");
      return null;
    }
    try {
      AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
      Throwable failure = p.getLoadingError();
      if (failure != null) {
        LOG.debug("SHA-256 and AES-GCM: the JDK's (the Corretto provider's native library did not load: {})",
            failure.toString());
        return null;
      }
      LOG.debug("SHA-256 and AES-GCM: {} {}", p.getName(), p.getVersionStr());
      return p;
    } catch (LinkageError | RuntimeException e) {
      LOG.debug("SHA-256 and AES-GCM: the JDK's (no Corretto provider: {})", e.toString());
      return null;
    }
  }
}
