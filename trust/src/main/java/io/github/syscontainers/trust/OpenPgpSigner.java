package io.github.syscontainers.trust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.gpg.KeyGripCalculator;
import org.bouncycastle.gpg.SExprParser;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.PGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEProtectionRemoverFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;

/**
 * Signs a payload as {@code gpg --sign} (and gpgme, for skopeo) does: an OpenPGP signed message of one one-pass
 * signature, the literal data and the signature, binary. The key comes from an exported secret key file (binary or
 * armored, {@code gpg --export-secret-keys}) or from a GnuPG home, where the public key is found in the keybox and
 * its secret part in {@code private-keys-v1.d/KEYGRIP.key}, both read with Bouncy Castle's parsers of GnuPG's
 * formats. A protected key needs its passphrase; there is no agent to ask.
 *
 * <p>Immutable and thread-safe.
 */
final class OpenPgpSigner {
  private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

  private final PGPPublicKey signingKey;
  private final PGPPrivateKey privateKey;
  private final String primaryFingerprint;

  private OpenPgpSigner(PGPPublicKey signingKey, PGPPrivateKey privateKey, String primaryFingerprint) {
    this.signingKey = signingKey;
    this.privateKey = privateKey;
    this.primaryFingerprint = primaryFingerprint;
  }

  /** The fingerprint of the primary key of the signing key, upper-case hex. */
  String fingerprint() {
    return primaryFingerprint;
  }

  /**
   * The key {@code id} names in an exported secret key file ({@code id} may be null when the file holds one key).
   *
   * @param passphrase the key's passphrase; empty for an unprotected key
   */
  static OpenPgpSigner fromFile(Path file, String id, char[] passphrase, Instant now) throws TrustException {
    PGPSecretKeyRingCollection rings;
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(read(file)))) {
      rings = new PGPSecretKeyRingCollection(in, new JcaKeyFingerprintCalculator());
    } catch (IOException | PGPException e) {
      throw new TrustException("Cannot read the secret key file " + file + ": " + e.getMessage()
          + "; give what gpg --export-secret-keys writes", e);
    }
    List<PGPSecretKeyRing> matching = new ArrayList<>();
    for (Iterator<PGPSecretKeyRing> it = rings.getKeyRings(); it.hasNext(); ) {
      PGPSecretKeyRing r = it.next();
      if (id == null || GnupgHome.matches(publicRing(r), id)) {
        matching.add(r);
      }
    }
    if (matching.size() != 1) {
      throw new TrustException((matching.isEmpty() ? "No" : "More than one") + " secret key in " + file
          + (id == null ? "" : " matches '" + id + "'") + "; name the key with --sign-by FINGERPRINT");
    }
    PGPSecretKeyRing ring = matching.get(0);
    PGPPublicKey key = signingKey(publicRing(ring), id, now, file.toString());
    PGPSecretKey secret = ring.getSecretKey(key.getKeyID());
    try {
      PGPPrivateKey priv = secret.extractPrivateKey(
          new JcePBESecretKeyDecryptorBuilder(digests()).setProvider(PROVIDER).build(passphrase));
      return new OpenPgpSigner(key, priv, OpenPgpVerifier.fingerprint(ring.getPublicKey()));
    } catch (PGPException e) {
      throw new TrustException("Cannot unlock the secret key " + OpenPgpVerifier.fingerprint(key) + " of " + file
          + ": " + e.getMessage() + "; give its passphrase with --passphrase-file", e);
    }
  }

  /** The key {@code id} names in a GnuPG home. */
  static OpenPgpSigner fromGnupgHome(GnupgHome home, String id, char[] passphrase, Instant now) throws TrustException {
    List<PGPPublicKeyRing> rings = home.find(id);
    if (rings.isEmpty()) {
      throw new TrustException("No key in the GnuPG home " + home.dir() + " matches '" + id + "'; list the keys with"
          + " gpg --list-secret-keys, or set --gnupghome (GNUPGHOME) to the keyring that has it");
    }
    List<String> tried = new ArrayList<>();
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey key;
      try {
        key = signingKey(ring, id, now, home.dir().toString());
      } catch (TrustException e) {
        tried.add(e.getMessage());
        continue;
      }
      Optional<OpenPgpSigner> found = secretPart(home, ring, key, passphrase, tried);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new TrustException("Cannot sign with '" + id + "': " + String.join("; ", tried));
  }

  /**
   * The secret part of {@code key} in the home's {@code private-keys-v1.d}: the file its keygrip names, or, for key
   * types Bouncy Castle computes no keygrip of (EdDSA), the file whose key signs what {@code key} verifies.
   */
  private static Optional<OpenPgpSigner> secretPart(GnupgHome home, PGPPublicKeyRing ring, PGPPublicKey key,
      char[] passphrase, List<String> tried) throws TrustException {
    Path dir = home.dir().resolve("private-keys-v1.d");
    List<Path> candidates = new ArrayList<>();
    try {
      byte[] grip = new KeyGripCalculator(digests().get(HashAlgorithmTags.SHA1))
          .calculateKeygrip(key.getPublicKeyPacket().getKey());
      candidates.add(dir.resolve(HexFormat.of().formatHex(grip).toUpperCase(Locale.ROOT) + ".key"));
    } catch (IOException | PGPException | RuntimeException e) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(f -> f.getFileName().toString().endsWith(".key")).sorted().forEach(candidates::add);
      } catch (IOException none) {
        // no secret keys at all: said below
      }
    }
    String fpr = OpenPgpVerifier.fingerprint(key);
    for (Path file : candidates) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      PGPPrivateKey priv;
      try (InputStream in = new ByteArrayInputStream(GnupgKeyText.hexQuotedStrings(read(file)))) {
        // parsed on its own, not against key: Bouncy Castle's comparison of the two fails for EdDSA keys; whether
        // they belong together is checked by signing below
        PGPPrivateKey parsed = new SExprParser(digests())
            .parseSecretKey(in, new JcePBEProtectionRemoverFactory(passphrase, digests()).setProvider(PROVIDER),
                new JcaKeyFingerprintCalculator())
            .extractPrivateKey(null);
        priv = new PGPPrivateKey(key.getKeyID(), key.getPublicKeyPacket(), parsed.getPrivateKeyDataPacket());
      } catch (IOException | PGPException | RuntimeException e) {
        if (candidates.size() == 1) {
          throw new TrustException("Cannot read the secret key " + file + ": " + e.getMessage()
              + (passphrase.length == 0 ? "; if it is protected, give its passphrase with --passphrase-file" : ""), e);
        }
        continue;
      }
      OpenPgpSigner signer = new OpenPgpSigner(key, priv, OpenPgpVerifier.fingerprint(ring.getPublicKey()));
      if (signer.signsFor(ring)) {
        return Optional.of(signer);
      }
    }
    tried.add("the GnuPG home has no" + (passphrase.length == 0 ? " unprotected" : "") + " secret part of key " + fpr
        + " in " + dir + (passphrase.length == 0 ? " (give the passphrase of a protected key with --passphrase-file)"
            : ""));
    return Optional.empty();
  }

  /** Whether a signature made with this key verifies with the public key of {@code ring}: the parts belong together. */
  private boolean signsFor(PGPPublicKeyRing ring) {
    try {
      byte[] probe = "syscontainers key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Instant now = Instant.now();
      OpenPgpVerifier.Verified v = OpenPgpVerifier.of(ring.getEncoded(), "the key").verify(sign(probe, now), now);
      return java.util.Arrays.equals(v.payload(), probe);
    } catch (IOException | TrustException e) {
      return false;
    }
  }

  /** The key of {@code ring} to sign with: the one {@code id} names exactly, else the newest usable signing key. */
  private static PGPPublicKey signingKey(PGPPublicKeyRing ring, String id, Instant now, String where)
      throws TrustException {
    PGPPublicKey primary = ring.getPublicKey();
    if (primary.hasRevocation()) {
      throw new TrustException("The key " + OpenPgpVerifier.fingerprint(primary) + " in " + where + " is revoked");
    }
    PGPPublicKey chosen = null;
    for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
      PGPPublicKey k = it.next();
      boolean named = id != null && k != primary && namesExactly(k, id);
      if (usable(k, primary, now) && (named || chosen == null || k.getCreationTime().after(chosen.getCreationTime()))) {
        chosen = k;
        if (named) {
          break;
        }
      }
    }
    if (chosen == null) {
      throw new TrustException("The key " + OpenPgpVerifier.fingerprint(primary) + " in " + where
          + " has no usable signing key (revoked, expired, or not allowed to sign)");
    }
    return chosen;
  }

  private static boolean namesExactly(PGPPublicKey k, String id) {
    String hex = id.strip().replace(" ", "").toUpperCase(Locale.ROOT).replaceFirst("^0X", "");
    return hex.length() >= 16 && OpenPgpVerifier.fingerprint(k).endsWith(hex);
  }

  private static boolean usable(PGPPublicKey k, PGPPublicKey primary, Instant now) {
    if (k.hasRevocation() || !OpenPgpVerifier.fitToSign(k, primary)) {
      return false;
    }
    for (PGPPublicKey c : k == primary ? List.of(k) : List.of(primary, k)) {
      long valid = c.getValidSeconds();
      if (valid > 0 && c.getCreationTime().toInstant().plusSeconds(valid).isBefore(now)) {
        return false;
      }
    }
    return true;
  }

  private static PGPPublicKeyRing publicRing(PGPSecretKeyRing ring) {
    List<PGPPublicKey> keys = new ArrayList<>();
    ring.getPublicKeys().forEachRemaining(keys::add);
    return new PGPPublicKeyRing(keys);
  }

  /**
   * Signs {@code payload} at {@code now}.
   *
   * @return the OpenPGP signed message
   */
  byte[] sign(byte[] payload, Instant now) throws TrustException {
    try {
      PGPSignatureGenerator gen = new PGPSignatureGenerator(
          new JcaPGPContentSignerBuilder(signingKey.getAlgorithm(), HashAlgorithmTags.SHA256).setProvider(PROVIDER),
          signingKey);
      gen.init(PGPSignature.BINARY_DOCUMENT, privateKey);
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setSignatureCreationTime(false, Date.from(now));
      hashed.setIssuerFingerprint(false, signingKey);
      gen.setHashedSubpackets(hashed.generate());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (BCPGOutputStream out = new BCPGOutputStream(bytes)) {
        gen.generateOnePassVersion(false).encode(out);
        PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
        try (OutputStream data = literal.open(out, PGPLiteralData.BINARY, "", payload.length, Date.from(now))) {
          data.write(payload);
        }
        gen.update(payload);
        gen.generate().encode(out);
      }
      return bytes.toByteArray();
    } catch (IOException | PGPException e) {
      throw new TrustException("Cannot sign with key " + primaryFingerprint + ": " + e.getMessage(), e);
    }
  }

  private static PGPDigestCalculatorProvider digests() throws TrustException {
    try {
      return new JcaPGPDigestCalculatorProviderBuilder().setProvider(PROVIDER).build();
    } catch (PGPException e) {
      throw new TrustException("No OpenPGP digests: " + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file) throws TrustException {
    try {
      if (Files.size(file) > 16 << 20) {
        throw new TrustException("The secret key file " + file + " is over 16 MiB; that is no key");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TrustException("Cannot read the secret key file " + file + ": " + e.getMessage(), e);
    }
  }
}
