package io.github.syscontainers.cli;

import io.github.syscontainers.api.Signature;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    if (sigstoreKey != null && signBy != null) {
      throw new LifecycleException("--sign-by and --sign-by-sigstore-private-key sign with different keys; give one");
    }
    char[] passphrase = sigstoreKey != null ? Passphrases.forKey(passphraseFile, sigstoreKey.toString())
        : passphraseFile == null ? new char[0] : Passphrases.fromFile(passphraseFile);
    var sign = Facade.open(common, spec).sign().addImage(images.toArray(String[]::new)).setSources(source.sources(common))
        .setPassphrase(passphrase).setSignIdentity(signIdentity).setDirectory(directory).setGnupgHome(gnupgHome);
    Arrays.fill(passphrase, '\0');
    if (sigstoreKey != null) {
      sign.setSigstorePrivateKey(sigstoreKey);
    } else {
      sign.setSignBy(signBy);
    }
    for (Signature s : sign.call()) {
      spec.commandLine().getOut().println("Created: " + s.location());
    }
    return 0;
  }
}
