package io.github.syscontainers.platform;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
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

  private static final class Sha256 {
    static final boolean READY = PROVIDER != null && CryptoSelfTest.sha256(PROVIDER);
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
