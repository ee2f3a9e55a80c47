package io.github.syscontainers.trust;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.registry.TopManifest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Signs images as {@code atomic sign} did (through {@code skopeo standalone-sign}): a "simple signing" signature
 * of the manifest the reference names, claiming the image's Docker reference, written as the next free
 * {@code signature-N} of {@code REPOSITORY@sha256=HEX/} in a lookaside directory: the one given, else the
 * {@code lookaside-staging} (or {@code lookaside}) that registries.d names for the image, which must be a
 * {@code file://} URL, as atomic required.
 *
 * <p>Thread-safe.
 */
public final class ImageSigner {
  /**
   * A signature written.
   *
   * @param file where
   * @param keyFingerprint the primary key that signed
   * @param identity the Docker reference it vouches for
   * @param digest the manifest digest it vouches for
   */
  public record Signed(Path file, String keyFingerprint, String identity, Digest digest) {}

  private final OpenPgpSigner signer;
  private final TrustCheck.Settings settings;
  private final Clock clock;

  private ImageSigner(OpenPgpSigner signer, TrustCheck.Settings settings, Clock clock) {
    this.signer = signer;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * A signer with the GPG key {@code signBy}: an exported secret key file when that names a file, else a key of
   * the GnuPG home ({@code gnupgHome}, else {@code $GNUPGHOME}, else {@code ~/.gnupg}).
   *
   * @param passphrase the key's passphrase, empty for an unprotected key
   */
  public static ImageSigner gpg(String signBy, Optional<Path> gnupgHome, char[] passphrase, TrustCheck.Settings settings,
      Map<String, String> env, Clock clock) throws TrustException {
    Instant now = clock.instant();
    Path file = Path.of(signBy);
    OpenPgpSigner s = Files.isRegularFile(file)
        ? OpenPgpSigner.fromFile(file, null, passphrase, now)
        : OpenPgpSigner.fromGnupgHome(gnupgHome.map(GnupgHome::new).orElseGet(() -> GnupgHome.of(env, settings.home())),
            signBy, passphrase, now);
    return new ImageSigner(s, settings, clock);
  }

  /**
   * Signs the image {@code ref} names, whose manifest is {@code manifest}.
   *
   * @param identity the Docker reference to claim; by default the image's own (a registry image's, or a
   *     docker-archive's NAME:TAG); archives and layouts without one need it
   * @param directory the lookaside directory to write into; by default the one registries.d names
   */
  public Signed sign(SourceReference ref, ImageSource source, TopManifest manifest, Optional<String> identity,
      Optional<Path> directory) throws TrustException {
    ImageIdentity image = ref instanceof SourceReference.Registry
        ? ImageIdentity.docker(source.servedReference().orElse(((SourceReference.Registry) ref).reference()))
        : ImageIdentity.of(ref);
    DockerName claimed;
    if (identity.isPresent()) {
      claimed = DockerName.parse(identity.get()).filter(n -> !n.nameOnly()).orElseThrow(() -> new TrustException(
          "--sign-identity '" + identity.get() + "' is not a Docker reference with a tag or digest, such as"
              + " registry.example.com/app:1"));
    } else {
      claimed = image.dockerReference().filter(n -> !n.nameOnly()).orElseThrow(() -> new TrustException(
          image.display() + " has no Docker reference to sign for; give the name it will be pulled as with"
              + " --sign-identity REGISTRY/REPOSITORY:TAG"));
    }
    Path dir = directory.isPresent() ? directory.get().resolve(claimed.reference().repository())
        : stagingBase(image.dockerReference().isPresent() && image.transport().equals("docker") ? image
            : ImageIdentity.docker(claimed.reference()));
    if (directory.isPresent() && !Files.isDirectory(directory.get())) {
      throw new TrustException("The path " + directory.get() + " does not exist");
    }
    Digest digest = manifest.digest();
    Path sigDir = dir.resolveSibling(dir.getFileName() + "@" + digest.algorithm() + "=" + digest.hex());
    Instant now = clock.instant();
    byte[] payload = SimpleSignature.encode(digest, claimed.toString(), "syscontainers", now.getEpochSecond());
    byte[] signature = signer.sign(payload, now);
    Path written = write(sigDir, signature);
    return new Signed(written, signer.fingerprint(), claimed.toString(), digest);
  }

  /** The registries.d staging directory of a registry image, with its repository path. */
  private Path stagingBase(ImageIdentity image) throws TrustException {
    RegistriesD registries = RegistriesD.load(TrustCheck.registriesDPath(settings), URI.create("file:///"));
    Optional<String> top = registries.lookasideTop(image, true);
    String config = TrustCheck.registriesDPath(settings).toString();
    if (top.isEmpty()) {
      throw new TrustException("No write path for " + image.dockerReference().get().name() + " was found in " + config
          + "; give one with --signature-path DIR, or set lookaside-staging for it in registries.d");
    }
    URI base = registries.lookasideBase(image, true);
    if (!"file".equalsIgnoreCase(base.getScheme())) {
      throw new TrustException("Writing to " + base.getScheme() + " is not supported. Use a supported scheme [file]"
          + " instead (lookaside-staging in " + config + ", or --signature-path DIR)");
    }
    Path topPath = Path.of(URI.create(top.get()));
    if (!Files.isDirectory(Keyrings.underRoot(settings.root(), topPath.toString()))) {
      throw new TrustException("The signature path " + topPath + " does not exist");
    }
    return Keyrings.underRoot(settings.root(), Path.of(base).toString());
  }

  /** Writes {@code signature} as the next free {@code signature-N} of {@code dir}, never over another. */
  private static Path write(Path dir, byte[] signature) throws TrustException {
    try {
      Files.createDirectories(dir);
      for (int n = 1; n <= Lookaside.MAX_SIGNATURES; n++) {
        Path f = dir.resolve("signature-" + n);
        if (Files.exists(f)) {
          continue;
        }
        Path tmp = dir.resolve(".signature-" + n + ".tmp-" + ProcessHandle.current().pid());
        Files.write(tmp, signature, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try {
          // a link fails when another signer took the name meanwhile: then the next name
          Files.createLink(f, tmp);
          return f;
        } catch (FileAlreadyExistsException e) {
          continue;
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      throw new TrustException(dir + " already holds " + Lookaside.MAX_SIGNATURES + " signatures, the most a reader"
          + " takes");
    } catch (IOException e) {
      throw new TrustException("Cannot write the signature into " + dir + ": " + e.getMessage(), e);
    }
  }
}
