package io.github.syscontainers.trust;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.registry.ImageCheck;
import io.github.syscontainers.registry.SigstoreBundleBlob;
import io.github.syscontainers.registry.ImageCheck.Accepted;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.TopManifest;
import io.github.syscontainers.registry.SourceReference;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The signature policy of a host, applied to every image a pull resolves, before its layers are fetched: the
 * policy.json of the host (or the one given), the signature stores of its registries.d, and the keys they name,
 * all read under the root being worked on. A refused image fails the pull with the policy's reason; an accepted
 * one brings the signatures that vouched for it, to be stored with it.
 *
 * <p>Thread-safe.
 */
public final class TrustCheck implements ImageCheck {
  private static final int MAX_DEPTH = 8;

  /**
   * Where the policy and signature stores are.
   *
   * @param root the root worked on ({@code /}, or {@code --root DIR}); every file the policy names is under it
   * @param policyFile a policy to use instead of the host's ({@code --signature-policy})
   * @param insecurePolicy accept every image, whatever the policy ({@code --insecure-policy})
   * @param registriesD a registries.d directory to use instead of the host's ({@code --registries.d})
   * @param localSignatures a lookaside directory for images read from archives and layouts (which carry none)
   * @param userMode read the user's {@code ~/.config/containers} files first, as containers/image does for users
   * @param home the user's home directory
   */
  public record Settings(
      Path root, Optional<Path> policyFile, boolean insecurePolicy, Optional<Path> registriesD,
      Optional<Path> localSignatures, boolean userMode, Path home) {}

  private final Policy policy;
  private final RegistriesD registries;
  private final PolicyEvaluator evaluator;
  private final Lookaside lookaside = new Lookaside(Duration.ofSeconds(30));
  private final Optional<Path> localSignatures;
  private final Path root;
  private final Path registriesDir;

  private TrustCheck(Policy policy, RegistriesD registries, Keyrings keyrings, Clock clock, Optional<Path> local,
      Path root, Path registriesDir) {
    this.root = root;
    this.registriesDir = registriesDir;
    this.policy = policy;
    this.registries = registries;
    this.evaluator = new PolicyEvaluator(policy, keyrings, clock);
    this.localSignatures = local;
  }

  /**
   * Reads the policy and registries.d the settings name.
   *
   * @throws TrustException when the policy is malformed, or a policy given explicitly does not exist
   */
  public static TrustCheck load(Settings s, Clock clock) throws TrustException {
    return new TrustCheck(policy(s), registries(s), new Keyrings(s.root()), clock, s.localSignatures(), s.root(),
        registriesDPath(s));
  }

  /** The policy the settings name; a host with no policy file accepts every image, as before there was one. */
  static Policy policy(Settings s) throws TrustException {
    if (s.insecurePolicy()) {
      return Policy.acceptAnything("--insecure-policy");
    }
    Path file = policyPath(s);
    if (!Files.isRegularFile(file)) {
      if (s.policyFile().isPresent()) {
        throw new TrustException("The signature policy " + file + " given with --signature-policy does not exist");
      }
      return Policy.acceptAnything("(none: no " + file + ")");
    }
    try {
      if (Files.size(file) > 4 << 20) {
        throw new TrustException("The signature policy " + file + " is over 4 MiB; that is no policy");
      }
      return PolicyParser.parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new TrustException("Cannot read the signature policy " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The policy file the settings name: the one given, else the user's {@code ~/.config/containers/policy.json} in
   * user mode when it exists, else the root's {@code /etc/containers/policy.json} (which may not exist).
   */
  static Path policyPath(Settings s) {
    if (s.policyFile().isPresent()) {
      return s.policyFile().get();
    }
    Path user = s.home().resolve(".config/containers/policy.json");
    return s.userMode() && Files.isRegularFile(user) ? user : s.root().resolve("etc/containers/policy.json");
  }

  /** The registries.d directory the settings name, chosen as {@link #policyPath} chooses. */
  static Path registriesDPath(Settings s) {
    return s.registriesD().orElseGet(() -> {
      Path user = s.home().resolve(".config/containers/registries.d");
      return s.userMode() && Files.isDirectory(user) ? user : s.root().resolve("etc/containers/registries.d");
    });
  }

  private static RegistriesD registries(Settings s) throws TrustException {
    Path dir = registriesDPath(s);
    // a host path, found under the root like every file:// store (see rooted)
    Path builtin = s.userMode() ? s.home().resolve(".local/share/containers/sigstore")
        : Path.of("/var/lib/containers/sigstore");
    return RegistriesD.load(dir, builtin.toUri());
  }

  /** The policy in use. */
  public Policy policy() {
    return policy;
  }

  @Override
  public Accepted check(SourceReference ref, ImageSource source, TopManifest manifest) throws RegistryException {
    try {
      Verdict v = verdict(ref, source, manifest);
      return new Accepted(v.signatures(), v.describe());
    } catch (TrustException e) {
      throw new RegistryException(e.getMessage(), e);
    }
  }

  /**
   * The policy's verdict today on an image already stored: the signatures kept with it, checked offline for the
   * manifest they were made for, under the identity of the source it was pulled from.
   */
  public Verdict recheck(SourceReference ref, TopManifest manifest, List<byte[]> signatures) throws TrustException {
    ImageIdentity identity = ImageIdentity.of(ref);
    return evaluator.evaluate(identity, manifest, () -> signatures);
  }

  /** The policy's verdict on the image whose reference named {@code manifest}, with what vouched for it. */
  public Verdict verdict(SourceReference ref, ImageSource source, TopManifest manifest) throws TrustException {
    ImageIdentity identity =
        ref instanceof SourceReference.Registry
            ? ImageIdentity.docker(source.servedReference().orElse(((SourceReference.Registry) ref).reference()))
            : ImageIdentity.of(ref);
    Digest digest = manifest.digest();
    return evaluator.evaluate(identity, manifest, () -> signatures(identity, source, digest));
  }

  /**
   * The signatures of the image whose reference named the manifest {@code digest}, read where {@link #verdict}
   * reads them, for {@code copy} to carry along.
   */
  public List<byte[]> signaturesOf(SourceReference ref, ImageSource source, Digest digest) throws TrustException {
    ImageIdentity identity =
        ref instanceof SourceReference.Registry
            ? ImageIdentity.docker(source.servedReference().orElse(((SourceReference.Registry) ref).reference()))
            : ImageIdentity.of(ref);
    return signatures(identity, source, digest);
  }

  /**
   * Why {@code dest} cannot take {@code signatures} as {@code copy} carries them, or empty when it can: a
   * {@code dir:} takes any; a registry takes simple signatures into the {@code file://} lookaside staging
   * registries.d names for it; archives and layouts take none (as containers/image: their formats have no place).
   */
  public Optional<String> signatureStoreProblem(SourceReference dest, List<byte[]> signatures) {
    if (dest instanceof SourceReference.Dir) {
      return Optional.empty();
    }
    if (dest instanceof SourceReference.Registry) {
      for (byte[] b : signatures) {
        if (b.length > 0 && b[0] == 0) {
          return Optional.of("writing sigstore signatures to a registry (as attachments) is not supported yet");
        }
      }
      try {
        ImageSigner.stagingBase(registries, registriesDir, root,
            ImageIdentity.docker(((SourceReference.Registry) dest).reference()));
        return Optional.empty();
      } catch (TrustException e) {
        return Optional.of(e.getMessage());
      }
    }
    String kind = dest instanceof SourceReference.OciLayout ? "OCI layouts"
        : dest instanceof SourceReference.OciArchive ? "oci-archives" : "docker-archives";
    return Optional.of("storing signatures in " + kind + " is not supported (sign the copy, or keep the signatures"
        + " beside it in a directory for --signature-dir)");
  }

  /**
   * Stores {@code signatures} of the manifest {@code digest} at {@code dest} (see {@link #signatureStoreProblem}):
   * as {@code signature-N} in a {@code dir:}, in the registry's lookaside staging as {@code REPO@ALGO=HEX/signature-N}.
   *
   * @return where each went
   */
  public List<Path> storeSignatures(SourceReference dest, Digest digest, List<byte[]> signatures)
      throws TrustException {
    Optional<String> problem = signatureStoreProblem(dest, signatures);
    if (problem.isPresent()) {
      throw new TrustException(problem.get());
    }
    Path dir;
    if (dest instanceof SourceReference.Dir) {
      dir = ((SourceReference.Dir) dest).directory();
    } else {
      Path base = ImageSigner.stagingBase(registries, registriesDir, root,
          ImageIdentity.docker(((SourceReference.Registry) dest).reference()));
      dir = base.resolveSibling(base.getFileName() + "@" + digest.algorithm() + "=" + digest.hex());
    }
    List<Path> written = new ArrayList<>();
    for (byte[] s : signatures) {
      written.add(ImageSigner.write(dir, s));
    }
    return written;
  }

  /**
   * The signatures of an image, in containers/image's order: a registry image's lookaside ones, then its sigstore
   * attachments when registries.d enables them for it; an archive's or layout's from the signature directory given,
   * then the attachments it carries.
   */
  private List<byte[]> signatures(ImageIdentity identity, ImageSource source, Digest digest) throws TrustException {
    List<byte[]> out = new ArrayList<>();
    if (identity.transport().equals("docker")) {
      out.addAll(lookaside.read(rooted(registries.lookasideBase(identity, false), root), digest));
      if (registries.useSigstoreAttachments(identity)) {
        out.addAll(attachments(source, digest));
      }
      return out;
    }
    if (identity.transport().equals("dir")) {
      out.addAll(dirSignatures(Path.of(identity.scope())));
    }
    if (localSignatures.isPresent()) {
      out.addAll(local(localSignatures.get(), digest));
    }
    out.addAll(attachments(source, digest));
    return out;
  }

  /**
   * The Sigstore bundles referring to {@code digest} at the source, and the cosign signatures attached to it, each
   * read whole up to 4 MiB (a layer whose descriptor says more is refused unread); layers of other media types are
   * not signatures and are not fetched.
   */
  private static List<byte[]> attachments(ImageSource source, Digest digest) throws TrustException {
    List<byte[]> out = new ArrayList<>();
    try {
      // cosign 3's Sigstore bundles, through the referrers of the manifest
      for (SigstoreBundleBlob b : source.sigstoreBundles(digest)) {
        out.add(new SignatureBlob.Sigstore(b.mediaType(), b.json(), Map.of()).encoded());
      }
      Optional<List<Descriptor>> layers = source.sigstoreAttachments(digest);
      if (layers.isEmpty()) {
        return out;
      }
      if (layers.get().size() > Lookaside.MAX_SIGNATURES) {
        throw new TrustException("The sigstore attachments of " + digest + " list " + layers.get().size()
            + " signatures; more than " + Lookaside.MAX_SIGNATURES + " is taken for a server error");
      }
      int n = 0;
      for (Descriptor layer : layers.get()) {
        n++;
        if (!layer.mediaType().equals(SignatureBlob.COSIGN_MEDIA_TYPE)) {
          continue;
        }
        byte[] payload = source.readSmallBlob(layer, OpenPgpVerifier.MAX_SIGNATURE,
            "The sigstore signature " + n + " (" + layer.digest() + ") attached to " + digest);
        out.add(new SignatureBlob.Sigstore(layer.mediaType(), payload, layer.annotations()).encoded());
      }
      return out;
    } catch (RegistryException e) {
      throw new TrustException(e.getMessage(), e);
    }
  }

  /** The {@code signature-N} files of a {@code dir:} image, as containers/image keeps them there. */
  private static List<byte[]> dirSignatures(Path dir) throws TrustException {
    List<byte[]> out = new ArrayList<>();
    for (int n = 1; n <= Lookaside.MAX_SIGNATURES; n++) {
      Path f = dir.resolve("signature-" + n);
      if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        break;
      }
      try {
        if (Files.size(f) > 4 << 20) {
          throw new TrustException(f + " is over 4 MiB; that is no signature");
        }
        out.add(Files.readAllBytes(f));
      } catch (IOException e) {
        throw new TrustException("Cannot read the signature " + f + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * A {@code file://} signature store as found under the root worked on: registries.d under {@code --root DIR}
   * names the paths of that root, as its policy's key paths do.
   */
  static URI rooted(URI store, Path root) {
    if (!"file".equalsIgnoreCase(store.getScheme()) || root.toAbsolutePath().getParent() == null) {
      return store;
    }
    return URI.create(Keyrings.underRoot(root.toAbsolutePath(), store.getPath()).toUri().toString().replaceAll("/$", ""));
  }

  /**
   * The signatures of an archive or layout image kept in a lookaside directory: under {@code ALGO=HEX/} at its top,
   * or under any {@code REPO@ALGO=HEX/} below it (a copy of a registry's lookaside, as skopeo wrote it).
   */
  private List<byte[]> local(Path dir, Digest digest) throws TrustException {
    String leaf = digest.algorithm() + "=" + digest.hex();
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(dir.resolve(leaf))) {
      found.add(dir.resolve(leaf));
    }
    try (Stream<Path> s = Files.walk(dir, MAX_DEPTH)) {
      s.filter(p -> p.getFileName().toString().endsWith("@" + leaf) && Files.isDirectory(p)).sorted().forEach(found::add);
    } catch (IOException e) {
      throw new TrustException("Cannot search the signature directory " + dir + ": " + e.getMessage(), e);
    }
    List<byte[]> out = new ArrayList<>();
    for (Path d : found) {
      out.addAll(lookaside.readAt(URI.create(d.toUri().toString().replaceAll("/$", ""))));
    }
    return out;
  }
}
