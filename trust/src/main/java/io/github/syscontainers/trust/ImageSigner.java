package io.github.syscontainers.trust;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.LayoutAttachmentWriter;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.SigstoreAttachment;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs images as {@code atomic sign} did (through {@code skopeo standalone-sign}): a "simple signing" signature
 * of the manifest the reference names, claiming the image's Docker reference, written as the next free
 * {@code signature-N} of {@code REPOSITORY@sha256=HEX/} in a lookaside directory: the one given, else the
 * {@code lookaside-staging} (or {@code lookaside}) that registries.d names for the image, which must be a
 * {@code file://} URL, as atomic required. With a cosign key ({@link #sigstore}) the signature is cosign's: attached
 * to the image of an OCI layout ({@code sha256-HEX.sig}) as containers/image's {@code oci:} destination attaches it,
 * or written to the lookaside directory in containers/image's sigstore blob format.
 *
 * <p>Thread-safe.
 */
public final class ImageSigner {
  /** The creator a signature names, as skopeo names itself. */
  private static final String CREATOR = "syscontainers";

  /**
   * A signature written.
   *
   * @param file where
   * @param keyFingerprint the primary key that signed
   * @param identity the Docker reference it vouches for
   * @param digest the manifest digest it vouches for
   */
  public record Signed(String location, String keyFingerprint, String identity, Digest digest) {}

  /** The key signatures are made with: a GPG key, or a cosign key. */
  private sealed interface SigningKey permits GpgKey, SigstoreKey {
    String fingerprint();
  }

  private record GpgKey(OpenPgpSigner signer) implements SigningKey {
    @Override
    public String fingerprint() {
      return signer.fingerprint();
    }
  }

  private record SigstoreKey(SigstoreSigner signer) implements SigningKey {
    @Override
    public String fingerprint() {
      return signer.fingerprint();
    }
  }

  private final SigningKey key;
  private final TrustCheck.Settings settings;
  private final Clock clock;

  private ImageSigner(SigningKey key, TrustCheck.Settings settings, Clock clock) {
    this.key = key;
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
    return new ImageSigner(new GpgKey(s), settings, clock);
  }

  /**
   * A signer with the cosign private key of {@code keyFile} (cosign's encrypted format, as {@code cosign
   * generate-key-pair} and {@code generate-sigstore-key} write it). Its signatures go to an OCI layout as sigstore
   * attachments, or to a lookaside directory in containers/image's sigstore blob format.
   */
  public static ImageSigner sigstore(Path keyFile, char[] passphrase, TrustCheck.Settings settings, Clock clock)
      throws TrustException {
    return new ImageSigner(new SigstoreKey(SigstoreSigner.fromFile(keyFile, passphrase)), settings, clock);
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
    if (directory.isPresent() && !Files.isDirectory(directory.get())) {
      throw new TrustException("The path " + directory.get() + " does not exist");
    }
    Digest digest = manifest.digest();
    Instant now = clock.instant();
    byte[] signature;
    if (key instanceof SigstoreKey && directory.isEmpty() && ref instanceof SourceReference.OciLayout) {
      byte[] payload = SimpleSignature.encodeSigstore(digest, claimed.toString(), CREATOR, now.getEpochSecond());
      Map<String, String> annotations = CosignKeys.annotations(((SigstoreKey) key).signer().sign(payload));
      Path layout = ((SourceReference.OciLayout) ref).directory();
      try {
        LayoutAttachmentWriter.attach(layout, digest,
            List.of(new SigstoreAttachment(SignatureBlob.COSIGN_MEDIA_TYPE, payload, annotations)));
      } catch (RegistryException e) {
        throw new TrustException(e.getMessage(), e);
      }
      return new Signed(layout + " (" + ImageSource.sigstoreTag(digest) + ")", key.fingerprint(),
          claimed.toString(), digest);
    }
    if (key instanceof SigstoreKey && directory.isEmpty() && image.transport().equals("docker")
        && registries(settings).useSigstoreAttachments(image)) {
      throw new TrustException("registries.d has use-sigstore-attachments for " + image.display() + ", and writing"
          + " attachments to a registry is not supported yet; write the signature to a lookaside with"
          + " --signature-path DIR, or sign an oci: layout");
    }
    signature = signatureOf(digest, claimed.toString());
    Path dir = directory.isPresent() ? directory.get().resolve(claimed.reference().repository())
        : stagingBase(image.dockerReference().isPresent() && image.transport().equals("docker") ? image
            : ImageIdentity.docker(claimed.reference()));
    Path sigDir = dir.resolveSibling(dir.getFileName() + "@" + digest.algorithm() + "=" + digest.hex());
    Path written = write(sigDir, signature);
    return new Signed(written.toString(), key.fingerprint(), claimed.toString(), digest);
  }

  /**
   * A signature of the manifest {@code digest} claiming the Docker reference {@code identity}: a simple signing
   * signature with a GPG key; with a cosign key, a sigstore signature in containers/image's blob format (as a
   * {@code dir:} or lookaside keeps it).
   *
   * @throws TrustException when {@code identity} is not a Docker reference with a tag or digest
   */
  public byte[] signatureOf(Digest digest, String identity) throws TrustException {
    DockerName claimed = DockerName.parse(identity).filter(n -> !n.nameOnly()).orElseThrow(() -> new TrustException(
        "The identity '" + identity + "' is not a Docker reference with a tag or digest, such as"
            + " registry.example.com/app:1"));
    Instant now = clock.instant();
    if (key instanceof SigstoreKey) {
      byte[] payload = SimpleSignature.encodeSigstore(digest, claimed.toString(), CREATOR, now.getEpochSecond());
      Map<String, String> annotations = CosignKeys.annotations(((SigstoreKey) key).signer().sign(payload));
      return new SignatureBlob.Sigstore(SignatureBlob.COSIGN_MEDIA_TYPE, payload, annotations).encoded();
    }
    byte[] payload = SimpleSignature.encode(digest, claimed.toString(), CREATOR, now.getEpochSecond());
    return ((GpgKey) key).signer().sign(payload, now);
  }

  private static RegistriesD registries(TrustCheck.Settings settings) throws TrustException {
    return RegistriesD.load(TrustCheck.registriesDPath(settings), URI.create("file:///"));
  }

  /** The registries.d staging directory of a registry image, with its repository path. */
  private Path stagingBase(ImageIdentity image) throws TrustException {
    return stagingBase(registries(settings), TrustCheck.registriesDPath(settings), settings.root(), image);
  }

  /**
   * The staging directory registries.d names for a registry image ({@code lookaside-staging}, else
   * {@code lookaside}), with its repository path, under {@code root}: only {@code file://} can be written.
   */
  static Path stagingBase(RegistriesD registries, Path registriesD, Path root, ImageIdentity image)
      throws TrustException {
    Optional<String> top = registries.lookasideTop(image, true);
    String config = registriesD.toString();
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
    if (!Files.isDirectory(Keyrings.underRoot(root, topPath.toString()))) {
      throw new TrustException("The signature path " + topPath + " does not exist");
    }
    return Keyrings.underRoot(root, Path.of(base).toString());
  }

  /** Writes {@code signature} as the next free {@code signature-N} of {@code dir}, never over another. */
  static Path write(Path dir, byte[] signature) throws TrustException {
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
