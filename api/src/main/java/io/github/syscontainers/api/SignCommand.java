package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.AtomicConf;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.trust.ImageSigner;
import io.github.syscontainers.trust.TrustException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code syscontainers sign IMAGE…}, atomic's {@code sign}: a "simple signing" GPG signature of each image's manifest,
 * written where registries.d's {@code lookaside-staging} says or into the directory given; with a sigstore private key
 * (skopeo's {@code --sign-by-sigstore-private-key}), a cosign signature instead, attached to an {@code oci:} layout's
 * image or written to the directory given.
 */
public final class SignCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private final List<String> images = new ArrayList<>();
  private String signBy;
  private Path sigstoreKey;
  private Path directory;
  private Path gnupgHome;
  private char[] passphrase = new char[0];
  private String identity;

  SignCommand(Session session) {
    this.session = session;
  }

  /** Adds images to sign, by any transport's reference (at least one). */
  public SignCommand addImage(String... references) {
    images.addAll(List.of(references));
    return this;
  }

  /** {@code --sign-by KEY}: a fingerprint, key ID or user ID of the GnuPG home, or a file of exported secret keys
   * (default: {@code default_signer} of {@code /etc/atomic.conf}). */
  public SignCommand setSignBy(String key) {
    this.signBy = key;
    return this;
  }

  /** {@code --sign-by-sigstore-private-key FILE}: a cosign signature with this key instead of a GPG one. */
  public SignCommand setSigstorePrivateKey(Path key) {
    this.sigstoreKey = key;
    return this;
  }

  /** {@code --directory DIR}: write the signatures under DIR (a lookaside) instead of where registries.d says. */
  public SignCommand setDirectory(Path directory) {
    this.directory = directory;
    return this;
  }

  /** {@code --gnupghome DIR} (default: {@code $GNUPGHOME}, else {@code ~/.gnupg}). */
  public SignCommand setGnupgHome(Path home) {
    this.gnupgHome = home;
    return this;
  }

  /** The key's passphrase (copied; the copy is wiped after the call). */
  public SignCommand setPassphrase(char[] passphrase) {
    this.passphrase = passphrase.clone();
    return this;
  }

  /** {@code --sign-identity}: the reference the signature vouches for (default: the image's own). */
  public SignCommand setSignIdentity(String identity) {
    this.identity = identity;
    return this;
  }

  /** Where the images are read from (TLS, credentials, {@code --platform}) and registries.d. */
  public SignCommand setSources(Sources sources) {
    source.sources = Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** Signs each image in turn; the first that cannot be signed ends the call. */
  public List<Signature> call() throws SystemContainersException {
    if (images.isEmpty()) {
      throw new SystemContainersException("sign", null, "No image to sign: add one before call()", 2, null);
    }
    String current = images.get(0);
    try {
      if (sigstoreKey != null && signBy != null) {
        throw new LifecycleException("--sign-by and --sign-by-sigstore-private-key sign with different keys; give one");
      }
      ImageSigner signer = signer();
      SourceOptions options = source.options(session);
      List<Signature> out = new ArrayList<>();
      for (String image : images) {
        current = image;
        SourceReference ref = Transfers.parse(image);
        try (ImageSource src = ImageSource.open(ref, options)) {
          ImageSigner.Signed s = signer.sign(ref, src, src.resolve(source.sources.platform()).topManifest(),
              Optional.ofNullable(identity), Optional.ofNullable(directory));
          out.add(new Signature(image, s.location(), s.keyFingerprint(), s.identity(), s.digest()));
        } catch (TrustException | java.io.IOException e) {
          throw new LifecycleException("Cannot sign " + image + ": " + e.getMessage(), e);
        }
      }
      return out;
    } catch (TrustException e) {
      throw new SystemContainersException("sign", current, e.getMessage(), 1, e);
    } catch (LifecycleException e) {
      throw Session.failure("sign", current, e);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  private ImageSigner signer() throws LifecycleException, TrustException {
    if (sigstoreKey != null) {
      return ImageSigner.sigstore(sigstoreKey, passphrase, source.settings(session, false), Clock.systemUTC());
    }
    String key = signBy;
    if (key == null) {
      key = AtomicConf.read(session.env().get("ATOMIC_CONF").map(Path::of).orElse(Path.of("/etc/atomic.conf")))
          .get("default_signer").orElseThrow(() -> new LifecycleException("No default identity (default_signer) was"
              + " defined in /etc/atomic.conf and no --sign-by identity was provided.  You must provide an identity"));
    }
    return ImageSigner.gpg(key, Optional.ofNullable(gnupgHome), passphrase, source.settings(session, false),
        session.env().variables(), Clock.systemUTC());
  }
}
