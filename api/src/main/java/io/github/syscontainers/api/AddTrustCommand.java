package io.github.syscontainers.api;

import io.github.syscontainers.trust.KeyReferences;
import io.github.syscontainers.trust.TrustConfig;
import io.github.syscontainers.trust.TrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code syscontainers trust add REGISTRY}, atomic's: a requirement for a registry (or repository) in policy.json, its
 * keys embedded ({@code --pubkeys}) or referenced by path ({@code --pubkeysfile}), its lookaside in registries.d; with
 * keyless flags, a {@code sigstoreSigned} requirement on a Fulcio CA, an OIDC issuer and an e-mail.
 */
public final class AddTrustCommand {
  private final TrustCommands trust;
  private final List<String> pubkeys = new ArrayList<>();
  private final List<String> pubkeysFiles = new ArrayList<>();
  private final List<Path> fulcioCas = new ArrayList<>();
  private final List<Path> rekorKeys = new ArrayList<>();
  private String registry;
  private String sigstoreType = "web";
  private String type = "signedBy";
  private String keyType = "GPGKeys";
  private String sigstore;
  private Path trustedRoot;
  private String oidcIssuer;
  private String subjectEmail;

  AddTrustCommand(TrustCommands trust) {
    this.trust = trust;
  }

  /** {@code REGISTRY[/REPOSITORY]} (required). */
  public AddTrustCommand setRegistry(String registry) {
    this.registry = registry;
    return this;
  }

  /** {@code --pubkeys KEY}: a file, a URL or a GnuPG keyring ID, its key embedded in policy.json. */
  public AddTrustCommand addPubkeys(String key) {
    pubkeys.add(key);
    return this;
  }

  /** {@code --pubkeysfile FILE}: an installed key file, referenced by its absolute path. */
  public AddTrustCommand addPubkeysFile(String file) {
    pubkeysFiles.add(file);
    return this;
  }

  /** {@code --sigstoretype}: web (default), local, atomic, or a transport (oci, oci-archive, docker-archive). */
  public AddTrustCommand setSigstoreType(String sigstoreType) {
    this.sigstoreType = sigstoreType;
    return this;
  }

  /** {@code --type}: signedBy (default), sigstoreSigned, insecureAcceptAnything, reject. */
  public AddTrustCommand setType(String type) {
    this.type = type;
    return this;
  }

  /** {@code --keytype} (default GPGKeys). */
  public AddTrustCommand setKeyType(String keyType) {
    this.keyType = keyType;
    return this;
  }

  /** {@code --sigstore URL}: where the registry's signatures are read from. */
  public AddTrustCommand setSigstore(String url) {
    this.sigstore = url;
    return this;
  }

  /** {@code --fulcio-ca FILE}: keyless, certificates from this CA trusted. */
  public AddTrustCommand addFulcioCa(Path pem) {
    fulcioCas.add(pem);
    return this;
  }

  /** {@code --rekor-key FILE}: keyless, the Rekor key whose signed entry timestamps date signatures. */
  public AddTrustCommand addRekorKey(Path pem) {
    rekorKeys.add(pem);
    return this;
  }

  /** {@code --trusted-root FILE}: keyless, the CAs and Rekor keys from a Sigstore trusted_root.json. */
  public AddTrustCommand setTrustedRoot(Path file) {
    this.trustedRoot = file;
    return this;
  }

  /** {@code --oidc-issuer URL}: keyless, the issuer a certificate must name. */
  public AddTrustCommand setOidcIssuer(String issuer) {
    this.oidcIssuer = issuer;
    return this;
  }

  /** {@code --subject-email ADDRESS}: keyless, the e-mail a certificate must be issued for. */
  public AddTrustCommand setSubjectEmail(String email) {
    this.subjectEmail = email;
    return this;
  }

  /** Whether policy.json already has a requirement for this registry and sigstore type (the CLI asks first). */
  public boolean exists() throws SystemContainersException {
    Session.required(registry, "trust add", "registry");
    try {
      return trust.config().defines(TrustConfig.transport(sigstoreType), registry);
    } catch (TrustException e) {
      throw TrustCommands.failure("trust add", registry, e);
    }
  }

  /** Writes the requirement (replacing one for the same scope). */
  public void call() throws SystemContainersException {
    Session.required(registry, "trust add", "registry");
    try {
      List<TrustConfig.KeyData> data = new ArrayList<>();
      for (String k : pubkeys) {
        data.add(new TrustConfig.KeyData(k, KeyReferences.read(k, trust.env().variables(), trust.env().home())));
      }
      List<String> paths = new ArrayList<>();
      for (String f : pubkeysFiles) {
        paths.add(Path.of(f).toAbsolutePath().normalize().toString());
      }
      trust.config().add(new TrustConfig.Addition(registry, TrustConfig.transport(sigstoreType), type, keyType, paths,
          data, Optional.ofNullable(sigstore).filter(s -> !s.isEmpty()), keyless()));
    } catch (TrustException e) {
      throw TrustCommands.failure("trust add", registry, e);
    }
  }

  /** The keyless trust root the setters give, if any gives one. */
  private Optional<TrustConfig.Keyless> keyless() throws TrustException {
    if (fulcioCas.isEmpty() && rekorKeys.isEmpty() && trustedRoot == null && oidcIssuer == null
        && subjectEmail == null) {
      return Optional.empty();
    }
    List<TrustConfig.KeyData> cas = new ArrayList<>();
    for (Path p : fulcioCas) {
      cas.add(read(p));
    }
    List<TrustConfig.KeyData> rekor = new ArrayList<>();
    for (Path p : rekorKeys) {
      rekor.add(read(p));
    }
    return Optional.of(new TrustConfig.Keyless(cas, rekor, trustedRoot == null ? Optional.empty()
        : Optional.of(read(trustedRoot)), oidcIssuer == null ? "" : oidcIssuer,
        subjectEmail == null ? "" : subjectEmail));
  }

  private static TrustConfig.KeyData read(Path p) throws TrustException {
    try {
      if (Files.size(p) > 1 << 20) {
        throw new TrustException(p + " is over 1 MiB; that is no key, CA or trusted root");
      }
      return new TrustConfig.KeyData(p.toString(), Files.readAllBytes(p));
    } catch (IOException e) {
      throw new TrustException("Cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
