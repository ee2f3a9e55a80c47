package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.AtomicConf;
import io.github.syscontainers.lifecycle.Environment;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code syscontainers sign IMAGE...}: atomic's {@code sign}, a "simple signing" GPG signature of each image's
 * manifest, written where registries.d's {@code lookaside-staging} says (a {@code file://} store) or into the
 * directory given; for an archive, into the directory given, for the name it will be pulled as. With
 * {@code --sign-by-sigstore-private-key}, skopeo's flag, a cosign signature instead: attached to an {@code oci:}
 * layout's image, or written to the directory given.
 */
@Command(
    name = "sign",
    description = "Sign an image.",
    footer = "Create a signature for an image which can be used later to verify it.")
final class SignCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin SourceOptionsMixin source;

  @Option(
      names = "--sign-by",
      paramLabel = "KEY",
      description = "Name of the signing key: a fingerprint, key ID or user ID of the GnuPG home, or a file of"
          + " gpg --export-secret-keys. The default can be defined as default_signer in /etc/atomic.conf.")
  String signBy;

  @Option(
      names = "--sign-by-sigstore-private-key",
      paramLabel = "FILE",
      description = "Sign with the sigstore (cosign) private key in FILE instead of a GPG key: a cosign signature,"
          + " attached to an oci: layout's image, or written to the lookaside directory.")
  Path sigstoreKey;

  @Option(
      names = {"-d", "--directory", "--signature-path"},
      paramLabel = "DIR",
      description = "Define an alternate directory to store signatures (a lookaside: REPOSITORY@sha256=HEX/signature-N"
          + " below it).")
  Path directory;

  @Option(
      names = {"-g", "--gnupghome"},
      paramLabel = "DIR",
      description = "The GnuPG home with the key (default: $GNUPGHOME, else ~/.gnupg).")
  Path gnupgHome;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "Read the passphrase of a protected key from the first line of FILE.")
  Path passphraseFile;

  @Option(
      names = "--sign-identity",
      paramLabel = "REFERENCE",
      description = "The Docker reference the signature vouches for (default: the image's own); needed for archives"
          + " and layouts that carry none.")
  String signIdentity;

  @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "images to sign")
  List<String> images = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Environment env = common.environment();
    if (sigstoreKey != null && signBy != null) {
      throw new LifecycleException("--sign-by and --sign-by-sigstore-private-key sign with different keys; give one");
    }
    ImageSigner signer;
    if (sigstoreKey != null) {
      char[] passphrase = Passphrases.forKey(passphraseFile, sigstoreKey.toString());
      try {
        signer = ImageSigner.sigstore(sigstoreKey, passphrase, source.trustPaths.settings(common, false, false,
            Optional.empty()), Clock.systemUTC());
      } finally {
        Arrays.fill(passphrase, '\0');
      }
    } else {
      String key = signBy;
      if (key == null) {
        key = AtomicConf.read(env.get("ATOMIC_CONF").map(Path::of).orElse(Path.of("/etc/atomic.conf")))
            .get("default_signer").orElseThrow(() -> new LifecycleException("No default identity (default_signer) was"
                + " defined in /etc/atomic.conf and no --sign-by identity was provided.  You must provide an identity"));
      }
      char[] passphrase = passphraseFile == null ? new char[0] : Passphrases.fromFile(passphraseFile);
      try {
        signer = ImageSigner.gpg(key, Optional.ofNullable(gnupgHome), passphrase,
            source.trustPaths.settings(common, false, false, Optional.empty()), env.variables(), Clock.systemUTC());
      } finally {
        Arrays.fill(passphrase, '\0');
      }
    }
    SourceOptions options = source.sourceOptions(common);
    for (String image : images) {
      SourceReference ref;
      try {
        ref = SourceReference.parse(image);
      } catch (IllegalArgumentException e) {
        throw new LifecycleException(e.getMessage(), e);
      }
      ImageSigner.Signed signed;
      try (ImageSource src = ImageSource.open(ref, options)) {
        signed = signer.sign(ref, src, src.resolve(source.platform()).topManifest(), Optional.ofNullable(signIdentity),
            Optional.ofNullable(directory));
      } catch (RegistryException | TrustException e) {
        throw new LifecycleException("Cannot sign " + image + ": " + e.getMessage(), e);
      }
      spec.commandLine().getOut().println("Created: " + signed.location());
    }
    return 0;
  }
}
