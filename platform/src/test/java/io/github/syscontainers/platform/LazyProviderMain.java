package io.github.syscontainers.platform;

import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Cipher;

/**
 * Run in a child JVM by {@link CryptoProviderTest}: installs the provider lazily as the CLI does and prints who
 * serves SHA-256 and AES-GCM, twice (the second lookup after the first has settled where the algorithm comes from),
 * and a digest; with {@code cipher-first}, first after installing AES-GCM alone.
 */
public final class LazyProviderMain {
  private LazyProviderMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("unlisted")) {
      // as the CLI hashing a large image: SHA-256 asked of the provider object, the JVM's list left as it is
      for (int i = 0; i < 2; i++) {
        try {
          MessageDigest md = MessageDigest.getInstance("SHA-256", CryptoProvider.sha256Lazily());
          String abc = HexFormat.of().formatHex(md.digest("abc".getBytes()));
          System.out.println(md.getProvider().getName() + " handed out " + CryptoProvider.HANDED_OUT.sum() + " " + abc);
        } catch (java.security.NoSuchAlgorithmException e) {
          System.out.println("none");
        }
      }
      System.out.println("listed " + (java.security.Security.getProvider(CryptoProvider.NAME) != null));
      // the provider's own suite (HMACs, DRBG, AWS-LC's power-on tests) is not SHA-256's, and was not run for it
      System.out.println("suite " + (Corretto.PROVIDER == null ? "none" : Corretto.PROVIDER.getSelfTestStatus()));
      return;
    }
    if (args.length > 0 && args[0].equals("cipher-first")) {
      // as the CLI opening a registry: AES-GCM at once, SHA-256 once the layers are known to be large
      CryptoProvider.installCipherLazily();
      print();
    }
    CryptoProvider.installLazily();
    print();
  }

  private static void print() throws Exception {
    for (int i = 0; i < 2; i++) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      System.out.println(md.getProvider().getName() + " " + c.getProvider().getName() + " "
          + HexFormat.of().formatHex(md.digest("abc".getBytes())));
    }
  }
}
