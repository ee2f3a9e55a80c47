package io.github.syscontainers.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * cosign's key files, as {@code cosign generate-key-pair} and {@code skopeo generate-sigstore-key} write them: the
 * public key as a PEM {@code PUBLIC KEY}, the private key as PEM {@code ENCRYPTED SIGSTORE PRIVATE KEY} (or the
 * older {@code ENCRYPTED COSIGN PRIVATE KEY}) around go-securesystemslib's encrypted envelope: scrypt (N 32768,
 * 65536 or 131072, r 8, p 1) derives the key that opens a NaCl secretbox (XSalsa20 and Poly1305) holding the PKCS#8
 * private key. Bouncy Castle supplies scrypt, XSalsa20 and Poly1305; this class only puts them together as NaCl's
 * secretbox does.
 */
final class CosignKeys {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN (ENCRYPTED (?:SIGSTORE|COSIGN) PRIVATE KEY)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
  /** The scrypt work factors go-securesystemslib accepts; cosign writes the first. */
  private static final int[] ACCEPTED_N = {32768, 65536, 131072};

  private CosignKeys() {}

  /** A new ECDSA P-256 key pair, the kind cosign generates. */
  static KeyPair generate() throws TrustException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new TrustException("Cannot generate an ECDSA P-256 key: " + e.getMessage(), e);
    }
  }

  /** {@code key} as a PEM {@code PUBLIC KEY} (cosign.pub). */
  static String publicPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** {@code key} encrypted under {@code passphrase}, as a PEM {@code ENCRYPTED SIGSTORE PRIVATE KEY}. */
  static String encryptedPem(PrivateKey key, byte[] passphrase) throws TrustException {
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[32];
    byte[] nonce = new byte[24];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] secret = SCrypt.generate(passphrase, salt, ACCEPTED_N[0], 8, 1, 32);
    byte[] plain = key.getEncoded();
    try {
      byte[] box = seal(secret, nonce, plain);
      ObjectNode o = JSON.createObjectNode();
      ObjectNode kdf = o.putObject("kdf");
      kdf.put("name", "scrypt");
      kdf.putObject("params").put("N", ACCEPTED_N[0]).put("r", 8).put("p", 1);
      kdf.put("salt", Base64.getEncoder().encodeToString(salt));
      o.putObject("cipher").put("name", "nacl/secretbox").put("nonce", Base64.getEncoder().encodeToString(nonce));
      o.put("ciphertext", Base64.getEncoder().encodeToString(box));
      return pem("ENCRYPTED SIGSTORE PRIVATE KEY", JSON.writeValueAsBytes(o));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Opens an encrypted private key file.
   *
   * @param where names the file in messages
   * @throws TrustException when it is not such a file, or the passphrase is wrong
   */
  static PrivateKey decrypt(byte[] pemFile, byte[] passphrase, String where) throws TrustException {
    Matcher m = PEM.matcher(new String(pemFile, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new TrustException(where + " is not a cosign private key (-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----);"
          + " make one with syscontainers generate-sigstore-key or cosign generate-key-pair");
    }
    byte[] plain = open(Base64.getMimeDecoder().decode(m.group(2)), passphrase, where);
    try {
      for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
        try {
          return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(plain));
        } catch (GeneralSecurityException e) {
          // another algorithm
        }
      }
      throw new TrustException(where + " holds no ECDSA, RSA or Ed25519 private key");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** The plaintext of go-securesystemslib's encrypted envelope {@code json}. */
  static byte[] open(byte[] json, byte[] passphrase, String where) throws TrustException {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (IOException e) {
      throw new TrustException(where + " is not a valid encrypted key: " + e.getMessage(), e);
    }
    JsonNode params = o.path("kdf").path("params");
    if (!o.path("kdf").path("name").asText().equals("scrypt")
        || !o.path("cipher").path("name").asText().equals("nacl/secretbox")) {
      throw new TrustException(where + " is encrypted with " + o.path("kdf").path("name").asText() + " and "
          + o.path("cipher").path("name").asText() + "; only scrypt with nacl/secretbox is known");
    }
    int n = params.path("N").asInt();
    if (Arrays.stream(ACCEPTED_N).noneMatch(x -> x == n) || params.path("r").asInt() != 8
        || params.path("p").asInt() != 1) {
      throw new TrustException(where + " has unsupported scrypt parameters " + params);
    }
    byte[] salt;
    byte[] nonce;
    byte[] box;
    try {
      salt = Base64.getDecoder().decode(o.path("kdf").path("salt").asText());
      nonce = Base64.getDecoder().decode(o.path("cipher").path("nonce").asText());
      box = Base64.getDecoder().decode(o.path("ciphertext").asText());
    } catch (IllegalArgumentException e) {
      throw new TrustException(where + " is not a valid encrypted key: " + e.getMessage(), e);
    }
    if (nonce.length != 24 || box.length < 16) {
      throw new TrustException(where + " is not a valid encrypted key: wrong nonce or ciphertext length");
    }
    byte[] secret = SCrypt.generate(passphrase, salt, n, 8, 1, 32);
    try {
      return unseal(secret, nonce, box, where);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** NaCl's secretbox: the Poly1305 tag of the XSalsa20 ciphertext, then the ciphertext. */
  private static byte[] seal(byte[] key, byte[] nonce, byte[] plain) {
    XSalsa20Engine cipher = stream(key, nonce);
    byte[] macKey = keystream(cipher, 32);
    byte[] out = new byte[16 + plain.length];
    cipher.processBytes(plain, 0, plain.length, out, 16);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(out, 16, plain.length);
    mac.doFinal(out, 0);
    Arrays.fill(macKey, (byte) 0);
    return out;
  }

  private static byte[] unseal(byte[] key, byte[] nonce, byte[] box, String where) throws TrustException {
    XSalsa20Engine cipher = stream(key, nonce);
    byte[] macKey = keystream(cipher, 32);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(box, 16, box.length - 16);
    byte[] tag = new byte[16];
    mac.doFinal(tag, 0);
    Arrays.fill(macKey, (byte) 0);
    if (!MessageDigest.isEqual(tag, Arrays.copyOf(box, 16))) {
      throw new TrustException("Cannot open " + where + ": the passphrase is wrong, or the file was changed");
    }
    byte[] plain = new byte[box.length - 16];
    cipher.processBytes(box, 16, plain.length, plain, 0);
    return plain;
  }

  private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
    XSalsa20Engine e = new XSalsa20Engine();
    e.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return e;
  }

  /** The next {@code n} bytes of keystream (the first 32 key Poly1305, as in NaCl). */
  private static byte[] keystream(XSalsa20Engine e, int n) {
    byte[] out = new byte[n];
    e.processBytes(new byte[n], 0, n, out, 0);
    return out;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The names a signature's annotations use, as cosign writes them. */
  static Map<String, String> annotations(String base64Signature) {
    return Map.of(SignatureBlob.SIGNATURE_ANNOTATION, base64Signature);
  }

  /** The passphrase's UTF-8 bytes, made without an intermediate String (which could not be cleared). */
  static byte[] utf8(char[] passphrase) {
    java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(passphrase));
    byte[] out = new byte[b.remaining()];
    b.get(out);
    java.util.Arrays.fill(b.array(), (byte) 0);
    return out;
  }
}
