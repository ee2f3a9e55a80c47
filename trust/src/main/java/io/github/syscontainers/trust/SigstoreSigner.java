package io.github.syscontainers.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

/**
 * Makes cosign signatures with a private key from cosign's encrypted key file: ECDSA P-256 over SHA-256 (the keys
 * cosign and {@code generate-sigstore-key} make), or RSA PKCS#1 v1.5 over SHA-256; the signature is ASN.1 DER, base64
 * in the layer's {@code dev.cosignproject.cosign/signature} annotation, as cosign writes it.
 *
 * <p>Thread-safe.
 */
final class SigstoreSigner {
  private final PrivateKey key;
  private final PublicKey publicKey;

  private SigstoreSigner(PrivateKey key, PublicKey publicKey) {
    this.key = key;
    this.publicKey = publicKey;
  }

  /** A signer with the key of the encrypted key file {@code file}. */
  static SigstoreSigner fromFile(Path file, char[] passphrase) throws TrustException {
    byte[] pem;
    try {
      pem = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TrustException("Cannot read the sigstore private key " + file + ": " + e.getMessage(), e);
    }
    byte[] pass = CosignKeys.utf8(passphrase);
    try {
      PrivateKey k = CosignKeys.decrypt(pem, pass, "the sigstore private key " + file);
      return new SigstoreSigner(k, publicOf(k, file));
    } finally {
      java.util.Arrays.fill(pass, (byte) 0);
    }
  }

  /** The fingerprint of the key, as {@link SigstoreKeys#fingerprint} reports the key that verified a signature. */
  String fingerprint() {
    return SigstoreKeys.fingerprint(publicKey);
  }

  /** The signature of {@code payload}, base64, as the annotation holds it. */
  String sign(byte[] payload) throws TrustException {
    try {
      Signature s = Signature.getInstance(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
      s.initSign(key);
      s.update(payload);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new TrustException("Cannot sign with the sigstore key " + fingerprint() + ": " + e.getMessage(), e);
    }
  }

  /** The public half of a P-256 or RSA private key (a PKCS#8 key need not carry it). */
  private static PublicKey publicOf(PrivateKey k, Path file) throws TrustException {
    try {
      if (k instanceof ECPrivateKey) {
        ECPrivateKey ec = (ECPrivateKey) k;
        ECNamedCurveParameterSpec p256 = ECNamedCurveTable.getParameterSpec("secp256r1");
        if (ec.getParams().getCurve().getField().getFieldSize() != 256
            || !ec.getParams().getOrder().equals(p256.getN())) {
          throw new TrustException("The sigstore private key " + file + " is not on the P-256 curve; cosign signs"
              + " with P-256 keys (make one with syscontainers generate-sigstore-key)");
        }
        org.bouncycastle.math.ec.ECPoint q = p256.getG().multiply(ec.getS()).normalize();
        BigInteger x = q.getAffineXCoord().toBigInteger();
        BigInteger y = q.getAffineYCoord().toBigInteger();
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), ec.getParams()));
      }
      if (k instanceof RSAPrivateCrtKey) {
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) k;
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
    } catch (GeneralSecurityException e) {
      throw new TrustException("Cannot use the sigstore private key " + file + ": " + e.getMessage(), e);
    }
    throw new TrustException("The sigstore private key " + file + " is a " + k.getAlgorithm() + " key; syscontainers"
        + " signs with ECDSA P-256 or RSA keys (make one with syscontainers generate-sigstore-key)");
  }
}
