package io.github.syscontainers.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.GpgHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing with keys as the real gpg keeps them: a GnuPG home's keybox and private-keys-v1.d (protected keys
 * included, whose random salt gpg-agent sometimes writes as a quoted string), and exported secret key files; what is
 * signed is verified by gpg itself.
 */
class OpenPgpSignerTest {
  @TempDir Path tmp;

  private static final byte[] PAYLOAD = GpgHome.simpleSigningPayload(
      "sha256:0000000000000000000000000000000000000000000000000000000000000002", "example.com/a/b:1");

  @Test
  void everyProtectedKeyOfAGnupgHomeSigns() throws Exception {
    // gpg-agent writes a salt or IV it finds printable as a quoted string, in about one key file of six, which Bouncy
    // Castle cannot read for RSA keys: eight RSA keys all sign only if those do
    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"))) {
      for (int i = 0; i < 8; i++) {
        gpg.newProtectedKey("Key " + i + " <k" + i + "@example.com>", "rsa2048", "pass " + i);
      }
      GnupgHome home = new GnupgHome(gpg.path());
      for (int i = 0; i < 8; i++) {
        OpenPgpSigner s = OpenPgpSigner.fromGnupgHome(home, "k" + i + "@example.com",
            ("pass " + i).toCharArray(), Instant.now());
        assertThat(gpgVerifies(gpg, s.sign(PAYLOAD, Instant.now()))).as("key " + i).contains("Good signature from \"Key " + i);
      }
      assertThatThrownBy(() -> OpenPgpSigner.fromGnupgHome(home, "k0@example.com", "wrong".toCharArray(), Instant.now()))
          .isInstanceOf(TrustException.class).hasMessageContaining("Cannot");
    }
  }

  @Test
  void anRsaKeyIsFoundByItsKeygripAndAnExportedKeySigns() throws Exception {
    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"))) {
      String rsa = gpg.newKey("Rsa <rsa@example.com>", "rsa2048", null, "never");
      OpenPgpSigner s = OpenPgpSigner.fromGnupgHome(new GnupgHome(gpg.path()), rsa, new char[0], Instant.now());
      assertThat(s.fingerprint()).isEqualTo(rsa);
      assertThat(gpgVerifies(gpg, s.sign(PAYLOAD, Instant.now()))).contains("Good signature from \"Rsa");
      Path exported = gpg.exportSecretArmored(tmp.resolve("rsa.asc"), rsa, "");
      OpenPgpSigner f = OpenPgpSigner.fromFile(exported, null, new char[0], Instant.now());
      assertThat(gpgVerifies(gpg, f.sign(PAYLOAD, Instant.now()))).contains("Good signature from \"Rsa");
    }
  }

  @Test
  void quotedStringsOfAKeyFileBecomeHex() {
    byte[] in = ("Created: 20261207T000000\nKey: (protected-private-key (ecc (curve Ed25519)(protected x ((sha1 "
        + "\"J\\xb7\\'\\\\\\n\\101\"\n  \"247786496\")#0102#)))\nLabel: \"kept\"\n").getBytes(StandardCharsets.ISO_8859_1);
    String out = new String(GnupgKeyText.hexQuotedStrings(in), StandardCharsets.ISO_8859_1);
    assertThat(out).isEqualTo("Created: 20261207T000000\nKey: (protected-private-key (ecc (curve Ed25519)(protected x"
        + " ((sha1 #4AB7275C0A41#\n  #323437373836343936#)#0102#)))\nLabel: \"kept\"\n");
  }

  private String gpgVerifies(GpgHome gpg, byte[] signed) throws Exception {
    Path f = Files.write(tmp.resolve("signed-" + System.nanoTime()), signed);
    Exec.Result r = Exec.run(List.of("gpg", "--batch", "--verify", f.toString()), null, gpg.env());
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.stderr();
  }
}
