package io.github.syscontainers.trust;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The public keys of a sigstore requirement: PEM {@code PUBLIC KEY} blocks (SubjectPublicKeyInfo), as cosign writes
 * {@code cosign.pub} and containers/image reads {@code keyPath}/{@code keyData}; ECDSA, RSA and Ed25519, read by the
 * JDK's key factories.
 */
final class PemPublicKeys {
  private static final List<String> ALGORITHMS = List.of("EC", "RSA", "Ed25519");

  private PemPublicKeys() {}

  /**
   * The keys of {@code pem}, at least one.
   *
   * @param where names the keys in messages
   */
  static List<PublicKey> parse(byte[] pem, String where) throws TrustException {
    List<PublicKey> out = new ArrayList<>();
    for (Pem.Block b : Pem.scan(pem, "the public key of " + where, false)) {
      if (b.type().equals("PUBLIC KEY")) {
        out.add(key(b.der(), where));
      }
    }
    if (out.isEmpty()) {
      throw new TrustException("No PEM public key (-----BEGIN PUBLIC KEY-----) in " + where
          + "; a sigstore key is what cosign generate-key-pair writes to cosign.pub");
    }
    return out;
  }

  private static PublicKey key(byte[] der, String where) throws TrustException {
    for (String alg : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // another algorithm
      }
    }
    throw new TrustException("The public key of " + where + " is not an ECDSA, RSA or Ed25519 key");
  }
}
