package io.github.syscontainers.trust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.gpg.keybox.KeyBlob;
import org.bouncycastle.gpg.keybox.PublicKeyRingBlob;
import org.bouncycastle.gpg.keybox.jcajce.JcaKeyBoxBuilder;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;

/**
 * A user's GnuPG home ({@code $GNUPGHOME}, else {@code ~/.gnupg}), read with Bouncy Castle's own parsers of
 * GnuPG's files: public keys from {@code pubring.kbx} (GnuPG 2.1 and later) or {@code pubring.gpg}. A key is named
 * as gpg names it: a fingerprint, a long or short key ID (with or without {@code 0x}), {@code <email>} for an exact
 * address, or any other text found in a user ID, ignoring case.
 *
 * <p>Immutable; reads the files on each call.
 */
final class GnupgHome {
  private static final long MAX_KEYRING = 64L << 20;

  private final Path dir;

  GnupgHome(Path dir) {
    this.dir = dir;
  }

  /** The home a user's environment names. */
  static GnupgHome of(java.util.Map<String, String> env, Path home) {
    String g = env.get("GNUPGHOME");
    return new GnupgHome(g != null && !g.isEmpty() ? Path.of(g) : home.resolve(".gnupg"));
  }

  Path dir() {
    return dir;
  }

  /** Every public key ring of the home. */
  List<PGPPublicKeyRing> publicRings() throws TrustException {
    List<PGPPublicKeyRing> out = new ArrayList<>();
    Path kbx = dir.resolve("pubring.kbx");
    Path gpg = dir.resolve("pubring.gpg");
    try {
      if (Files.isRegularFile(kbx)) {
        for (KeyBlob b : new JcaKeyBoxBuilder().build(read(kbx)).getKeyBlobs()) {
          if (b instanceof PublicKeyRingBlob) {
            out.add(((PublicKeyRingBlob) b).getPGPPublicKeyRing());
          }
        }
      }
      if (Files.isRegularFile(gpg)) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(read(gpg)))) {
          new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator()).getKeyRings().forEachRemaining(out::add);
        }
      }
    } catch (IOException | PGPException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new TrustException("Cannot read the public keys of the GnuPG home " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static byte[] read(Path f) throws IOException {
    if (Files.size(f) > MAX_KEYRING) {
      throw new IOException(f + " is over 64 MiB");
    }
    return Files.readAllBytes(f);
  }

  /** The rings with a key {@code id} names, in keyring order. */
  List<PGPPublicKeyRing> find(String id) throws TrustException {
    List<PGPPublicKeyRing> out = new ArrayList<>();
    for (PGPPublicKeyRing r : publicRings()) {
      if (matches(r, id)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The public keys {@code id} names, ASCII-armored, as {@code gpg --armor --export ID} writes them.
   *
   * @throws TrustException when the home has no such key
   */
  byte[] exportArmored(String id) throws TrustException {
    List<PGPPublicKeyRing> rings = find(id);
    if (rings.isEmpty()) {
      throw new TrustException("The public key reference '" + id + "' was not found as a file or in the GnuPG home "
          + dir + " (" + (Files.isDirectory(dir) ? "no key matches it" : "it does not exist")
          + "); give a key file or URL, or set GNUPGHOME to the keyring that has it");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
      for (PGPPublicKeyRing r : rings) {
        r.encode(armor, true);
      }
    } catch (IOException e) {
      throw new TrustException("Cannot export the key '" + id + "': " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  static boolean matches(PGPPublicKeyRing ring, String id) {
    String hex = id.strip().replace(" ", "").toUpperCase(Locale.ROOT);
    if (hex.startsWith("0X")) {
      hex = hex.substring(2);
    }
    if (hex.matches("[0-9A-F]{8}|[0-9A-F]{16}|[0-9A-F]{40}|[0-9A-F]{64}")) {
      for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
        if (HexFormat.of().withUpperCase().formatHex(it.next().getFingerprint()).endsWith(hex)) {
          return true;
        }
      }
      return false;
    }
    String want = id.strip().toLowerCase(Locale.ROOT);
    for (Iterator<String> it = ring.getPublicKey().getUserIDs(); it.hasNext(); ) {
      String uid = it.next().toLowerCase(Locale.ROOT);
      if (uid.contains(want)) {
        return true;
      }
    }
    return false;
  }

}
