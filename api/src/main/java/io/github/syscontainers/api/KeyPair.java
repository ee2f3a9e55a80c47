package io.github.syscontainers.api;

import java.nio.file.Path;

/**
 * A sigstore key pair {@link SystemContainers#generateSigstoreKey()} wrote.
 *
 * @param publicKey {@code PREFIX.pub}, for {@code trust add -t sigstoreSigned -f}
 * @param privateKey {@code PREFIX.private}, encrypted with the passphrase, for {@code sign --sign-by-sigstore-private-key}
 * @param fingerprint the public key's fingerprint
 */
public record KeyPair(Path publicKey, Path privateKey, String fingerprint) {}
