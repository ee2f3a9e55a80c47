package io.github.syscontainers.trust;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Arrays;

/**
 * Writes a new sigstore key pair as {@code skopeo generate-sigstore-key} does (skopeo 1.9 has no such verb):
 * {@code PREFIX.pub}, the public key as PEM, and {@code PREFIX.private}, the private key encrypted with the
 * passphrase in cosign's format, mode 0600. Existing files are never overwritten; a failure leaves neither file.
 */
public final class SigstoreKeyFiles {
  /** The files written, and the fingerprint of the key as verification reports it. */
  public record Written(Path publicKey, Path privateKey, String fingerprint) {}

  private SigstoreKeyFiles() {}

  /** Generates an ECDSA P-256 key pair and writes it under {@code prefix}. */
  public static Written generate(Path prefix, char[] passphrase) throws TrustException {
    Path pub = Path.of(prefix + ".pub");
    Path priv = Path.of(prefix + ".private");
    for (Path p : new Path[] {pub, priv}) {
      if (Files.exists(p)) {
        throw new TrustException("Refusing to overwrite existing " + p + "; remove it or choose another"
            + " --output-prefix");
      }
    }
    KeyPair pair = CosignKeys.generate();
    byte[] pass = CosignKeys.utf8(passphrase);
    String encrypted;
    try {
      encrypted = CosignKeys.encryptedPem(pair.getPrivate(), pass);
    } finally {
      Arrays.fill(pass, (byte) 0);
    }
    write(priv, encrypted, "rw-------");
    try {
      write(pub, CosignKeys.publicPem(pair.getPublic()), "rw-r--r--");
    } catch (TrustException e) {
      try {
        Files.deleteIfExists(priv);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return new Written(pub, priv, SigstoreKeys.fingerprint(pair.getPublic()));
  }

  private static void write(Path file, String text, String mode) throws TrustException {
    boolean created = false;
    try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)))) {
      created = true;
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new TrustException("Refusing to overwrite existing " + file + "; remove it or choose another"
          + " --output-prefix", e);
    } catch (IOException e) {
      if (created) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new TrustException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
