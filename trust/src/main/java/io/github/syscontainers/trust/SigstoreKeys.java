package io.github.syscontainers.trust;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The public keys of a {@code sigstoreSigned} requirement, verifying cosign signatures as containers/image does
 * (sigstore's verifiers with SHA-256): ECDSA over SHA-256 (ASN.1 signatures), RSA PKCS#1 v1.5 over SHA-256, and
 * Ed25519. The JDK's providers do the work.
 *
 * <p>Immutable and thread-safe.
 */
final class SigstoreKeys {
  private final List<PublicKey> keys;

  private SigstoreKeys(List<PublicKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** These keys. */
  static SigstoreKeys ofKeys(List<PublicKey> keys) {
    return new SigstoreKeys(keys);
  }

  /** The keys, in file order. */
  List<PublicKey> keys() {
    return keys;
  }

  /** The keys of PEM files (or inline data), each with one or more {@code PUBLIC KEY} blocks. */
  static SigstoreKeys of(List<byte[]> pems, String where) throws TrustException {
    List<PublicKey> keys = new ArrayList<>();
    for (byte[] pem : pems) {
      keys.addAll(PemPublicKeys.parse(pem, where));
    }
    return new SigstoreKeys(keys);
  }

  /**
   * Verifies a cosign signature of {@code payload}.
   *
   * @return the SHA-256 fingerprint of the key that made it ({@code SHA256:HEX} of its SubjectPublicKeyInfo)
   * @throws TrustException when no key verifies it
   */
  String verify(byte[] payload, String base64Signature) throws TrustException {
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(base64Signature);
    } catch (IllegalArgumentException e) {
      throw new TrustException("its signature annotation is not base64: " + e.getMessage());
    }
    List<String> failures = new ArrayList<>();
    for (PublicKey k : keys) {
      try {
        Signature v = Signature.getInstance(algorithm(k));
        v.initVerify(k);
        v.update(payload);
        if (v.verify(sig)) {
          return fingerprint(k);
        }
        failures.add("not by key " + fingerprint(k));
      } catch (GeneralSecurityException | RuntimeException e) {
        failures.add("key " + fingerprint(k) + ": " + e.getMessage());
      }
    }
    throw new TrustException("cryptographic signature verification failed: " + String.join(", ", failures));
  }

  /** Whether {@code key} made {@code signature} of {@code data} (SHA-256 with ECDSA or RSA PKCS#1 v1.5, or Ed25519). */
  static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature v = Signature.getInstance(algorithm(key));
      v.initVerify(key);
      v.update(data);
      return v.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static String algorithm(PublicKey k) {
    switch (k.getAlgorithm()) {
      case "EC":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      default:
        return "Ed25519";
    }
  }

  static String fingerprint(PublicKey k) {
    try {
      return "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(k.getEncoded()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
