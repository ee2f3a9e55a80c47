package io.github.syscontainers.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import org.junit.jupiter.api.Test;

/**
 * cosign's encrypted key envelope, against the known answers go-securesystemslib's own tests use (its three scrypt
 * strengths), and a round trip of a key we write.
 */
class CosignKeysTest {
  private static final byte[] PASS = "supersecret".getBytes(StandardCharsets.UTF_8);

  @Test
  void opensGoSecuresystemslibEnvelopes() throws Exception {
    String[] vectors = {
      "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"N9a7x5JFGbrtB2uBR81jPwp0eiLR4A7FV3mjVAQrg1g=\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik\"},\"ciphertext\":\"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ==\"}",
      "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8,\"p\":1},\"salt\":\"FhzPOt9/bJG4PTq6lQ6ecG6GzaOuOy/ynG5+yRiFlNs=\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"aw1ng1jHaDz/tQ7V2gR9O2+IGQ8xJEuE\"},\"ciphertext\":\"HycvuLZL4sYH0BrYTh4E/H20VtAW6u5zL5Pr+IBjYLYnCPzDkq8=\"}",
      "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":131072,\"r\":8,\"p\":1},\"salt\":\"m38E3kouJTtiheLQN22NQ8DTito5hrjpUIskqcd375k=\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"Y6PM13yA+o44pE/W1ZBwczeGnTV/m9Zc\"},\"ciphertext\":\"6H8sqj1K6B6yDjtH5AQ6lbFigg/C2yDDJc4rYJ79w9aVPImFIPI=\"}",
    };
    // the first is TestDecrypt's; the others are its KDF-strength vectors, whose plaintext is the JSON (base64
    // string) its Marshal wraps the bytes in
    String[] expected = {"reallyimportant", "\"cmVhbGx5aW1wb3J0YW50\"", "\"cmVhbGx5aW1wb3J0YW50\""};
    for (int i = 0; i < vectors.length; i++) {
      byte[] plain = CosignKeys.open(vectors[i].getBytes(StandardCharsets.UTF_8), PASS, "vector");
      assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(expected[i]);
    }
    assertThatThrownBy(() -> CosignKeys.open(vectors[0].getBytes(StandardCharsets.UTF_8),
        "supersecreT".getBytes(StandardCharsets.UTF_8), "vector")).hasMessageContaining("passphrase is wrong");
    String tampered = vectors[0].replace("SEW6", "SEW7");
    assertThatThrownBy(() -> CosignKeys.open(tampered.getBytes(StandardCharsets.UTF_8), PASS, "vector"))
        .hasMessageContaining("passphrase is wrong, or the file was changed");
    String weak = vectors[0].replace("\"N\":32768", "\"N\":1024");
    assertThatThrownBy(() -> CosignKeys.open(weak.getBytes(StandardCharsets.UTF_8), PASS, "vector"))
        .hasMessageContaining("unsupported scrypt parameters");
  }

  @Test
  void aKeyWeWriteOpensAndSigns() throws Exception {
    KeyPair pair = CosignKeys.generate();
    String pem = CosignKeys.encryptedPem(pair.getPrivate(), PASS);
    assertThat(pem).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    PrivateKey back = CosignKeys.decrypt(pem.getBytes(StandardCharsets.US_ASCII), PASS, "key");
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(back);
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(pair.getPublic());
    v.update(new byte[] {1, 2, 3});
    assertThat(v.verify(sig)).isTrue();
    assertThat(PemPublicKeys.parse(CosignKeys.publicPem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII), "pub"))
        .containsExactly(pair.getPublic());
    assertThatThrownBy(() -> CosignKeys.decrypt("not a key".getBytes(StandardCharsets.US_ASCII), PASS, "x"))
        .hasMessageContaining("is not a cosign private key");
  }
}
