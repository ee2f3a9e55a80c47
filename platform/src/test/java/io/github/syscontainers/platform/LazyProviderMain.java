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
