package io.github.syscontainers.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the keys a requirement names: its key files, read under the root being worked on (a policy at
 * {@code ROOT/etc/containers/policy.json} names {@code /etc/pki/key.gpg}, meaning {@code ROOT/etc/pki/key.gpg}), or
 * its inline data. Each requirement's keys are read once per check.
 *
 * <p>Thread-safe.
 */
final class Keyrings {
  private static final long MAX_KEYRING = 16L << 20;

  private final Path root;
  private final Map<Requirement.Keys, OpenPgpVerifier> loaded = new ConcurrentHashMap<>();

  Keyrings(Path root) {
    this.root = root;
  }

  private final Map<Requirement.Keys, SigstoreKeys> sigstore = new ConcurrentHashMap<>();

  /** Reads keys of one kind from their files. */
  @FunctionalInterface
  private interface Reader<T> {
    T read(List<byte[]> files, String where) throws TrustException;
  }

  /** The OpenPGP keys of {@code keys}. */
  OpenPgpVerifier gpg(Requirement.Keys keys) throws TrustException {
    return cached(loaded, keys, OpenPgpVerifier::of);
  }

  /** The PEM public keys of {@code keys}, for a sigstore requirement. */
  SigstoreKeys sigstore(Requirement.Keys keys) throws TrustException {
    return cached(sigstore, keys, SigstoreKeys::of);
  }

  private final Map<Requirement.Fulcio, FulcioVerifier> fulcio = new ConcurrentHashMap<>();

  /** The Fulcio trust root of a requirement: its CA certificates (PEM), its issuer and e-mail. */
  FulcioVerifier fulcio(Requirement.Fulcio f) throws TrustException {
    FulcioVerifier v = fulcio.get(f);
    if (v == null) {
      List<java.security.cert.X509Certificate> cas = new ArrayList<>();
      for (byte[] pem : files(f.ca())) {
        cas.addAll(Pem.certificates(pem, "the Fulcio CA " + f.ca().describe()));
      }
      if (cas.isEmpty()) {
        throw new TrustException("The Fulcio CA " + f.ca().describe() + " holds no certificate");
      }
      v = new FulcioVerifier(cas, f.oidcIssuer(), f.subjectEmail());
      fulcio.put(f, v);
    }
    return v;
  }

  private <T> T cached(Map<Requirement.Keys, T> cache, Requirement.Keys keys, Reader<T> reader) throws TrustException {
    T v = cache.get(keys);
    if (v == null) {
      v = reader.read(files(keys), keys.describe());
      cache.put(keys, v);
    }
    return v;
  }

  /** The key files (or the inline data) of {@code keys}, one entry each. */
  private List<byte[]> files(Requirement.Keys keys) throws TrustException {
    if (keys.data().isPresent()) {
      return List.of(keys.data().get());
    }
    List<byte[]> out = new ArrayList<>();
    for (String p : keys.paths()) {
      Path file = underRoot(root, p);
      try {
        if (Files.size(file) > MAX_KEYRING) {
          throw new TrustException("The key file " + file + " is over 16 MiB; that is no keyring");
        }
        out.add(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new TrustException("Cannot read the key file " + file + " that the policy names: " + e.getMessage()
            + "; install the key there or fix the policy", e);
      }
    }
    return out;
  }

  /** A host path as seen under {@code root}. */
  static Path underRoot(Path root, String p) {
    Path path = Path.of(p);
    return path.isAbsolute() ? root.resolve(path.getRoot().relativize(path)) : root.resolve(path);
  }
}
