package io.github.syscontainers.trust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies an OpenPGP signed message (what {@code gpg --sign} writes, and skopeo's "simple signing" is) against a
 * set of trusted keys, as containers/image's gpgme mechanism accepts them: exactly one signature, by a key of the
 * set (primary or signing subkey) that is neither revoked nor expired, itself not expired; returns the signed
 * payload and the primary key's fingerprint. Bouncy Castle types stay in this class.
 *
 * <p>Immutable and thread-safe.
 */
final class OpenPgpVerifier {
  /** The most a signature may weigh; containers/image caps signatures at 4 MiB. */
  static final int MAX_SIGNATURE = 4 << 20;

  private final PGPPublicKeyRingCollection keys;
  private final List<String> fingerprints;

  private OpenPgpVerifier(PGPPublicKeyRingCollection keys, List<String> fingerprints) {
    this.keys = keys;
    this.fingerprints = List.copyOf(fingerprints);
  }

  /**
   * Reads a keyring: binary or ASCII-armored public keys, several rings concatenated.
   *
   * @param where names the keys in messages
   */
  static OpenPgpVerifier of(byte[] keyring, String where) throws TrustException {
    return of(List.of(keyring), where);
  }

  /** Reads several keyrings (files), each binary or armored, as one set of keys. */
  static OpenPgpVerifier of(List<byte[]> keyrings, String where) throws TrustException {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    for (byte[] keyring : keyrings) {
      try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyring))) {
        PGPPublicKeyRingCollection c = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        c.getKeyRings().forEachRemaining(rings::add);
      } catch (IOException | PGPException e) {
        throw new TrustException("Cannot read the public keys of " + where + ": " + e.getMessage(), e);
      }
    }
    List<String> fprs = new ArrayList<>();
    rings.forEach(r -> fprs.add(fingerprint(r.getPublicKey())));
    if (fprs.isEmpty()) {
      throw new TrustException("No public keys imported from " + where);
    }
    try {
      return new OpenPgpVerifier(new PGPPublicKeyRingCollection(rings), fprs);
    } catch (RuntimeException e) {
      throw new TrustException("Cannot combine the public keys of " + where + ": " + e.getMessage(), e);
    }
  }

  /** The user IDs of the primary keys, in keyring order ({@code Name <email>}). */
  List<String> userIds() {
    List<String> out = new ArrayList<>();
    for (Iterator<PGPPublicKeyRing> it = keys.getKeyRings(); it.hasNext(); ) {
      it.next().getPublicKey().getUserIDs().forEachRemaining(out::add);
    }
    return out;
  }

  /** The fingerprints of the primary keys, upper-case hex. */
  List<String> fingerprints() {
    return fingerprints;
  }

  /** A verified payload and the fingerprint of the primary key that signed it. */
  record Verified(byte[] payload, String keyFingerprint) {}

  /**
   * Verifies {@code signature} as of {@code now}.
   *
   * @throws TrustException saying why the signature is not accepted
   */
  Verified verify(byte[] signature, Instant now) throws TrustException {
    if (signature.length > MAX_SIGNATURE) {
      throw new TrustException("the signature is " + signature.length + " bytes, over the 4 MiB limit");
    }
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
      BcPGPObjectFactory f = new BcPGPObjectFactory(in);
      Object o = next(f);
      if (o instanceof PGPCompressedData) {
        f = new BcPGPObjectFactory(((PGPCompressedData) o).getDataStream());
        o = next(f);
      }
      if (!(o instanceof PGPOnePassSignatureList) || ((PGPOnePassSignatureList) o).size() != 1) {
        throw new TrustException("it is not an OpenPGP signed message with exactly one signature");
      }
      PGPOnePassSignature ops = ((PGPOnePassSignatureList) o).get(0);
      PGPPublicKey key = keys.getPublicKey(ops.getKeyID());
      if (key == null) {
        throw new TrustException("the signature is by key " + keyId(ops.getKeyID()) + ", which is not accepted");
      }
      PGPPublicKeyRing ring = keys.getPublicKeyRing(ops.getKeyID());
      Object lit = next(f);
      if (!(lit instanceof PGPLiteralData)) {
        throw new TrustException("the signed message holds no data");
      }
      ops.init(new BcPGPContentVerifierBuilderProvider(), key);
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      try (InputStream data = ((PGPLiteralData) lit).getInputStream()) {
        byte[] buf = new byte[8192];
        for (int n; (n = data.read(buf)) > 0; ) {
          if (payload.size() + n > MAX_SIGNATURE) {
            throw new TrustException("the signed payload is over the 4 MiB limit");
          }
          ops.update(buf, 0, n);
          payload.write(buf, 0, n);
        }
      }
      Object sigs = next(f);
      if (!(sigs instanceof PGPSignatureList) || ((PGPSignatureList) sigs).size() != 1) {
        throw new TrustException("the signed message does not end with exactly one signature");
      }
      PGPSignature sig = ((PGPSignatureList) sigs).get(0);
      if (sig.getKeyID() != ops.getKeyID() || !ops.verify(sig)) {
        throw new TrustException("the signature does not verify: the signed data was altered");
      }
      if (next(f) != null) {
        throw new TrustException("the signed message has data after its signature");
      }
      checkUsable(ring, key, sig, now);
      return new Verified(payload.toByteArray(), fingerprint(ring.getPublicKey()));
    } catch (IOException | PGPException | RuntimeException e) {
      throw new TrustException("it is not a valid OpenPGP signature: " + e.getMessage(), e);
    }
  }

  /** gpgme's conditions for a good signature: key not revoked nor expired, fit to sign, signature not expired. */
  private static void checkUsable(PGPPublicKeyRing ring, PGPPublicKey key, PGPSignature sig, Instant now)
      throws TrustException {
    PGPPublicKey primary = ring.getPublicKey();
    String who = "key " + fingerprint(key);
    if (primary.hasRevocation() || key.hasRevocation()) {
      throw new TrustException("the signature is by " + who + ", which is revoked");
    }
    for (PGPPublicKey k : primary == key ? List.of(key) : List.of(primary, key)) {
      long valid = k.getValidSeconds();
      if (valid > 0 && k.getCreationTime().toInstant().plusSeconds(valid).isBefore(now)) {
        throw new TrustException("the signature is by " + who + ", which expired on "
            + k.getCreationTime().toInstant().plusSeconds(valid));
      }
    }
    if (!fitToSign(key, primary)) {
      throw new TrustException("the signature is by " + who + ", whose key flags do not allow signing");
    }
    if (sig.getHashedSubPackets() != null) {
      long expires = sig.getHashedSubPackets().getSignatureExpirationTime();
      if (expires > 0 && sig.getCreationTime().toInstant().plusSeconds(expires).isBefore(now)) {
        throw new TrustException("the signature expired on " + sig.getCreationTime().toInstant().plusSeconds(expires));
      }
    }
  }

  /** A key may sign data unless the self- or binding signature's key flags say otherwise. */
  static boolean fitToSign(PGPPublicKey key, PGPPublicKey primary) {
    int[] types = key == primary
        ? new int[] {PGPSignature.POSITIVE_CERTIFICATION, PGPSignature.CASUAL_CERTIFICATION,
            PGPSignature.NO_CERTIFICATION, PGPSignature.DEFAULT_CERTIFICATION, PGPSignature.DIRECT_KEY}
        : new int[] {PGPSignature.SUBKEY_BINDING};
    boolean sawFlags = false;
    for (int type : types) {
      for (Iterator<PGPSignature> it = key.getSignaturesOfType(type); it.hasNext(); ) {
        PGPSignature s = it.next();
        if (s.getHashedSubPackets() != null && s.getHashedSubPackets().getKeyFlags() != 0) {
          sawFlags = true;
          if ((s.getHashedSubPackets().getKeyFlags() & KeyFlags.SIGN_DATA) != 0) {
            return true;
          }
        }
      }
    }
    return !sawFlags;
  }

  private static Object next(BcPGPObjectFactory f) throws IOException {
    Object o = f.nextObject();
    while (o instanceof PGPMarker) {
      o = f.nextObject();
    }
    return o;
  }

  static String fingerprint(PGPPublicKey key) {
    return HexFormat.of().formatHex(key.getFingerprint()).toUpperCase(Locale.ROOT);
  }

  private static String keyId(long id) {
    return String.format("%016X", id);
  }
}
