package io.github.syscontainers.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Known-answer tests run once before libcrypto's SHA-256 and AES-GCM serve anything (issue 30): FIPS 180-2's
 * "abc" and one million "a"s, and the GCM specification's test case 2 (a zero key and IV, one zero block) sealed
 * and opened. A failure leaves the JDK's implementation in use, with one warning.
 */
final class LibcryptoSelfTest {
  private static final Logger LOG = LoggerFactory.getLogger(LibcryptoSelfTest.class);

  private LibcryptoSelfTest() {}

  /** Whether libcrypto's SHA-256 gives the standard's digests. */
  static boolean sha256() {
    try {
      LibcryptoProvider.Sha256 md = new LibcryptoProvider.Sha256();
      byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
      md.engineUpdate(abc, 0, abc.length);
      boolean ok = hex(md.engineDigest()).equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      byte[] a = new byte[1000];
      Arrays.fill(a, (byte) 'a');
      for (int i = 0; i < 1000; i++) {
        md.engineUpdate(a, 0, a.length);
      }
      ok &= hex(md.engineDigest()).equals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
      return passed(ok, "SHA-256");
    } catch (RuntimeException | LinkageError e) {
      return passed(false, "SHA-256 (" + e + ")");
    }
  }

  /** Whether libcrypto's AES-GCM seals and opens the specification's test case 2. */
  static boolean aesGcm() {
    try {
      SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
      GCMParameterSpec iv = new GCMParameterSpec(128, new byte[12]);
      LibcryptoAesGcm seal = new LibcryptoAesGcm();
      seal.engineInit(Cipher.ENCRYPT_MODE, key, iv, null);
      byte[] sealed = seal.engineDoFinal(new byte[16], 0, 16);
      boolean ok = hex(sealed).equals("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
      LibcryptoAesGcm open = new LibcryptoAesGcm();
      open.engineInit(Cipher.DECRYPT_MODE, key, iv, null);
      ok &= Arrays.equals(open.engineDoFinal(sealed, 0, sealed.length), new byte[16]);
      return passed(ok, "AES-GCM");
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      return passed(false, "AES-GCM (" + e + ")");
    }
  }

  private static boolean passed(boolean ok, String what) {
    if (ok) {
      LOG.debug("libcrypto's {} passed its self-test", what);
    } else {
      LOG.warn("libcrypto's {} failed its known-answer self-test; the JDK's is used instead", what);
    }
    return ok;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
