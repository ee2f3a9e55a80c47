package io.github.syscontainers.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.GpgHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenPGP signed messages made by the real gpg, verified by Bouncy Castle as containers/image's gpgme accepts them. */
class OpenPgpVerifierTest {
  @TempDir static Path tmp;
  static GpgHome gpg;
  static String good;
  static String other;
  static String rsa;
  static String expired;
  static String revoked;
  static String withSubkey;
  static String subkey;
  static final byte[] PAYLOAD = GpgHome.simpleSigningPayload(
      "sha256:0000000000000000000000000000000000000000000000000000000000000001", "example.com/a/b:1");

  @BeforeAll
  static void keys() throws Exception {
    gpg = GpgHome.create(tmp.resolve("gnupg"));
    good = gpg.newKey("Good <good@example.com>", "ed25519", null, "never");
    other = gpg.newKey("Other <other@example.com>", "ed25519", null, "never");
    rsa = gpg.newKey("Rsa <rsa@example.com>", "rsa2048", null, "never");
    expired = gpg.newKey("Expired <expired@example.com>", "ed25519", "20200101T000000", "1d");
    revoked = gpg.newKey("Revoked <revoked@example.com>", "ed25519", null, "never");
    withSubkey = gpg.newKey("Sub <sub@example.com>", "ed25519", null, "never");
    subkey = gpg.addSigningSubkey(withSubkey, "ed25519");
  }

  @AfterAll
  static void stop() throws Exception {
    gpg.close();
  }

  private static OpenPgpVerifier keyring(String... fprs) throws Exception {
    Path f = gpg.export(tmp.resolve("ring-" + String.join("-", fprs).hashCode() + ".gpg"), fprs);
    return OpenPgpVerifier.of(Files.readAllBytes(f), f.toString());
  }

  @Test
  void aGoodSignatureGivesItsPayloadAndPrimaryFingerprint() throws Exception {
    for (String key : new String[] {good, rsa}) {
      OpenPgpVerifier.Verified v = keyring(key, other).verify(gpg.sign(key, PAYLOAD), Instant.now());
      assertThat(v.keyFingerprint()).isEqualTo(key);
      assertThat(v.payload()).isEqualTo(PAYLOAD);
    }
    assertThat(keyring(good, other).fingerprints()).containsExactlyInAnyOrder(good, other);
  }

  @Test
  void aSigningSubkeyCountsAsItsPrimaryKey() throws Exception {
    OpenPgpVerifier.Verified v = keyring(withSubkey).verify(gpg.sign(subkey + "!", PAYLOAD), Instant.now());
    assertThat(v.keyFingerprint()).isEqualTo(withSubkey);
  }

  @Test
  void armoredKeyringsRead() throws Exception {
    Path f = gpg.exportArmored(tmp.resolve("armored.asc"), good);
    assertThat(OpenPgpVerifier.of(Files.readAllBytes(f), "armored").verify(gpg.sign(good, PAYLOAD), Instant.now())
        .keyFingerprint()).isEqualTo(good);
  }

  @Test
  void refusals() throws Exception {
    byte[] sig = gpg.sign(good, PAYLOAD);
    assertThatThrownBy(() -> keyring(other).verify(sig, Instant.now())).hasMessageContaining("which is not accepted");
    byte[] flipped = sig.clone();
    flipped[flipped.length / 2] ^= 0x10;
    assertThatThrownBy(() -> keyring(good).verify(flipped, Instant.now())).isInstanceOf(TrustException.class);
    assertThatThrownBy(() -> keyring(expired).verify(gpg.signWithFakedTime(expired, PAYLOAD, "20200101T120000"),
        Instant.now())).hasMessageContaining("which expired on 2020-01-02");
    byte[] byRevoked = gpg.sign(revoked, PAYLOAD);
    gpg.revoke(revoked);
    assertThatThrownBy(() -> keyring(revoked).verify(byRevoked, Instant.now())).hasMessageContaining("is revoked");
    assertThatThrownBy(() -> keyring(good).verify(new byte[5 << 20], Instant.now()))
        .hasMessageContaining("over the 4 MiB limit");
    assertThatThrownBy(() -> keyring(good).verify("not a signature".getBytes(StandardCharsets.UTF_8), Instant.now()))
        .isInstanceOf(TrustException.class);
    assertThatThrownBy(() -> OpenPgpVerifier.of(new byte[0], "empty")).hasMessageContaining("No public keys");
  }

  @Test
  void simpleSigningPayloadsAreReadStrictly() throws Exception {
    SimpleSignature s = SimpleSignature.parse(PAYLOAD);
    assertThat(s.dockerReference()).isEqualTo("example.com/a/b:1");
    assertThat(s.timestamp()).contains(1700000000L);
    String ok = new String(PAYLOAD, StandardCharsets.UTF_8);
    for (String[] bad : new String[][] {
      {ok.replace("atomic container signature", "other"), "not \"atomic container signature\""},
      {ok.replace("\"type\":", "\"extra\":1,\"type\":"), "unknown field \"extra\""},
      {ok.replace("1700000000", "1.5"), "not an integer"},
      {ok.replace("sha256:0000", "md5:0000"), "is no digest"},
      {"{\"critical\":{}}", "lacks one of"},
    }) {
      assertThatThrownBy(() -> SimpleSignature.parse(bad[0].getBytes(StandardCharsets.UTF_8)))
          .as(bad[0]).hasMessageContaining(bad[1]);
    }
  }
}
