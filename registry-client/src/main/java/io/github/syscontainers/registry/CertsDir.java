package io.github.syscontainers.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A registry's TLS material from a certs.d directory, as containers/image and Docker lay it out:
 * {@code DIR/HOST[:PORT]/*.crt} are extra certificate authorities (trusted as well as the system's), and a
 * {@code NAME.cert} with its {@code NAME.key} (PEM, PKCS#8; RSA or EC) is the client certificate to present.
 *
 * @param trustManager the system's authorities plus the directory's
 * @param context an SSL context with that trust and the client certificate, if any; null for {@link #unverified}
 *     without files, which sets up JSSE at the first TLS connection ({@link #socketFactory})
 */
record CertsDir(X509TrustManager trustManager, SSLContext context) {
  /** The default places: containers' then Docker's. */
  static final List<Path> DEFAULT_DIRS = List.of(Path.of("/etc/containers/certs.d"), Path.of("/etc/docker/certs.d"));

  /** Trusts every server certificate, for {@code --tls-verify=false}. */
  private static final X509TrustManager TRUST_ALL =
      new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      };

  /** Returns the material for {@code hostPort} from the first of {@code dirs} that has a directory for it. */
  static Optional<CertsDir> find(List<Path> dirs, String hostPort) throws RegistryException {
    for (Path d : dirs) {
      Path host = d.resolve(hostPort);
      if (Files.isDirectory(host)) {
        return Optional.of(load(host, true));
      }
    }
    return Optional.empty();
  }

  /**
   * The material for {@code --tls-verify=false}: any server certificate is accepted, but a client certificate from
   * certs.d is still presented, as skopeo does, so a registry that requires one can be reached.
   */
  static CertsDir unverified(List<Path> dirs, String hostPort) throws RegistryException {
    for (Path d : dirs) {
      Path host = d.resolve(hostPort);
      if (Files.isDirectory(host)) {
        return load(host, false);
      }
    }
    return new CertsDir(TRUST_ALL, null);
  }

  /**
   * The socket factory of this material; without certs.d files ({@link #unverified}), one that sets up JSSE only
   * when a TLS connection is made (a plain-HTTP registry never makes one).
   */
  SSLSocketFactory socketFactory() {
    if (context != null) {
      return context.getSocketFactory();
    }
    return new LazySslSocketFactory(() -> {
      try {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {TRUST_ALL}, null);
        return ctx.getSocketFactory();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Cannot set up TLS without verification", e);
      }
    });
  }

  static CertsDir load(Path dir, boolean verify) throws RegistryException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.sorted().toList();
      List<X509Certificate> cas = new ArrayList<>();
      for (Path f : files) {
        if (f.getFileName().toString().endsWith(".crt")) {
          cas.addAll(certificates(f));
        }
      }
      X509TrustManager tm = verify ? trustManager(cas) : TRUST_ALL;
      KeyManager[] km = null;
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(".cert")) {
          Path key = dir.resolve(name.substring(0, name.length() - ".cert".length()) + ".key");
          if (!Files.isRegularFile(key)) {
            throw new RegistryException(
                "The client certificate " + f + " has no key " + key.getFileName() + " beside it; add it or remove"
                    + " the certificate");
          }
          km = keyManagers(certificates(f), privateKey(key));
          break;
        }
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(km, new TrustManager[] {tm}, null);
      return new CertsDir(tm, ctx);
    } catch (IOException | GeneralSecurityException e) {
      throw new RegistryException(
          "Cannot use the TLS files in " + dir + ": " + e.getMessage() + "; they must be PEM certificates (*.crt,"
              + " *.cert) and a PKCS#8 key (*.key)", e);
    }
  }

  private static List<X509Certificate> certificates(Path f) throws IOException, GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(f)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException(f.getFileName() + " holds no certificate");
    }
    return out;
  }

  private static X509TrustManager trustManager(List<X509Certificate> extra) throws GeneralSecurityException {
    TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    system.init((KeyStore) null);
    KeyStore ks;
    try {
      ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    int i = 0;
    for (TrustManager t : system.getTrustManagers()) {
      if (t instanceof X509TrustManager) {
        for (X509Certificate c : ((X509TrustManager) t).getAcceptedIssuers()) {
          ks.setCertificateEntry("system-" + i++, c);
        }
      }
    }
    for (X509Certificate c : extra) {
      ks.setCertificateEntry("certs.d-" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager t : tmf.getTrustManagers()) {
      if (t instanceof X509TrustManager) {
        return (X509TrustManager) t;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private static PrivateKey privateKey(Path f) throws IOException, GeneralSecurityException {
    String pem = Files.readString(f, StandardCharsets.US_ASCII);
    if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
      throw new GeneralSecurityException(
          f.getFileName() + " is a PKCS#1 or SEC1 key; convert it with"
              + " `openssl pkcs8 -topk8 -nocrypt -in " + f.getFileName() + " -out " + f.getFileName() + ".pk8`");
    }
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException(f.getFileName() + " holds no unencrypted PKCS#8 PEM key");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException(f.getFileName() + " is not an RSA, EC or Ed25519 key");
  }

  private static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key)
      throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    char[] password = new char[0];
    ks.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    return kmf.getKeyManagers();
  }
}
