package io.github.syscontainers.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Known-answer tests run once before a native provider's SHA-256 and AES-GCM serve anything (issue 30): FIPS 180-2's
 * "abc" and one million "a"s, and the GCM specification's test case 2 (a zero key and IV, one zero block) sealed and
 * opened. AES-GCM comes through the provider's service, which first runs the provider's own suite; SHA-256 is made
 * without it ({@code Corretto.SHA256_ONLY}), so these are its only tests. A failure leaves the JDK's implementation
 * in use, with one warning.
 */
final class CryptoSelfTest {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoSelfTest.class);

  private CryptoSelfTest() {}

  /** Whether {@code provider}'s SHA-256 gives the standard's digests. */
  static boolean sha256(Provider provider) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256", provider);
      boolean ok = hex(md.digest("abc".getBytes(StandardCharsets.US_ASCII)))
          .equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      byte[] a = new byte[1000];
      Arrays.fill(a, (byte) 'a');
      for (int i = 0; i < 1000; i++) {
        md.update(a);
      }
      ok &= hex(md.digest()).equals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
      return passed(ok, provider, "SHA-256");
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      return passed(false, provider, "SHA-256 (" + e + ")");
    }
  }

  /** Whether {@code provider}'s AES-GCM seals and opens the specification's test case 2. */
  static boolean aesGcm(Provider provider) {
    try {
      SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
      GCMParameterSpec iv = new GCMParameterSpec(128, new byte[12]);
      Cipher seal = Cipher.getInstance("AES/GCM/NoPadding", provider);
      seal.init(Cipher.ENCRYPT_MODE, key, iv);
      byte[] sealed = seal.doFinal(new byte[16]);
      boolean ok = hex(sealed).equals("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
      Cipher open = Cipher.getInstance("AES/GCM/NoPadding", provider);
      open.init(Cipher.DECRYPT_MODE, key, iv);
      ok &= Arrays.equals(open.doFinal(sealed), new byte[16]);
      return passed(ok, provider, "AES-GCM");
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      return passed(false, provider, "AES-GCM (" + e + ")");
    }
  }

  private static boolean passed(boolean ok, Provider provider, String what) {
    if (ok) {
      LOG.debug("{}'s {} passed its self-test", provider.getName(), what);
    } else {
      LOG.warn("{}'s {} failed its known-answer self-test; the JDK's is used instead", provider.getName(), what);
    }
    return ok;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
