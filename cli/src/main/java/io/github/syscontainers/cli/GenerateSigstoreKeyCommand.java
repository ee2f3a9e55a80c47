package io.github.syscontainers.cli;

import io.github.syscontainers.api.KeyPair;
import io.github.syscontainers.api.SystemContainers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code syscontainers generate-sigstore-key}: a new sigstore key pair, as {@code skopeo generate-sigstore-key}
 * makes one (skopeo 1.9, Debian's, has no such verb): {@code PREFIX.pub} for policy.json's {@code sigstoreSigned}
 * and {@code PREFIX.private}, encrypted in cosign's format, for {@code sign --sign-by-sigstore-private-key}.
 */
@Command(
    name = "generate-sigstore-key",
    description = "Generate a sigstore public/private key pair.",
    footer = "The private key is encrypted with the passphrase; keep it secret. Trust the public key with"
        + " trust add --type sigstoreSigned --pubkeys PREFIX.pub REGISTRY.")
final class GenerateSigstoreKeyCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--output-prefix",
      required = true,
      paramLabel = "PREFIX",
      description = "Write the keys to PREFIX.pub and PREFIX.private.")
  Path prefix;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "Read the passphrase for the private key from the first line of FILE (default: ask twice).")
  Path passphraseFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    char[] passphrase = passphraseFile != null ? Passphrases.fromFile(passphraseFile)
        : Passphrases.askNew(prefix + ".private");
    KeyPair w;
    try {
      w = SystemContainers.generateSigstoreKey().setOutputPrefix(prefix).setPassphrase(passphrase).call();
    } finally {
      Arrays.fill(passphrase, '\0');
    }
    spec.commandLine().getOut().println("Key written to \"" + w.privateKey() + "\" and \"" + w.publicKey() + "\"");
    return 0;
  }
}
