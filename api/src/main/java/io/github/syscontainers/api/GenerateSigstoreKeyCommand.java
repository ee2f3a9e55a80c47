package io.github.syscontainers.api;

import io.github.syscontainers.trust.SigstoreKeyFiles;
import io.github.syscontainers.trust.TrustException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code syscontainers generate-sigstore-key --output-prefix PREFIX}, as {@code skopeo generate-sigstore-key}: an
 * ECDSA P-256 key pair, the private key encrypted as cosign encrypts it.
 */
public final class GenerateSigstoreKeyCommand {
  private Path prefix;
  private char[] passphrase;

  GenerateSigstoreKeyCommand() {}

  /** {@code --output-prefix}: the keys go to PREFIX.pub and PREFIX.private (required; neither may exist). */
  public GenerateSigstoreKeyCommand setOutputPrefix(Path prefix) {
    this.prefix = prefix;
    return this;
  }

  /** The private key's passphrase (required; copied, the copy wiped after the call). */
  public GenerateSigstoreKeyCommand setPassphrase(char[] passphrase) {
    this.passphrase = passphrase.clone();
    return this;
  }

  public KeyPair call() throws SystemContainersException {
    Session.required(prefix, "generate-sigstore-key", "output prefix");
    Session.required(passphrase, "generate-sigstore-key", "passphrase");
    try {
      SigstoreKeyFiles.Written w = SigstoreKeyFiles.generate(prefix, passphrase);
      return new KeyPair(w.publicKey(), w.privateKey(), w.fingerprint());
    } catch (TrustException e) {
      throw new SystemContainersException("generate-sigstore-key", prefix.toString(), e.getMessage(), 1, e);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }
}
