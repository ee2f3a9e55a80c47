package io.github.syscontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.ImageCatalog;
import io.github.syscontainers.lifecycle.ImageCopy;
import io.github.syscontainers.lifecycle.Layout;
import io.github.syscontainers.lifecycle.Puller;
import io.github.syscontainers.lifecycle.Stores;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ByteSize;
import io.github.syscontainers.registry.HostConfig;
import io.github.syscontainers.registry.ImageCopier;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.registry.TransferListener;
import io.github.syscontainers.trust.ImageSigner;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers copy SRC DST}: an image from one transport to another, as {@code skopeo copy}. */
@Command(
    name = "copy",
    description = {
      "Copy an image from one place to another, as skopeo copy: docker://REF, oci:DIR[:REF],"
          + " oci-archive:FILE[:REF], docker-archive:FILE[:NAME:TAG], dir:DIR and the store as ostree:NAME[@/REPO]"
          + " (skopeo's name for it), each as source or destination.",
      "Layers go as they are when the destination takes them so, and then the manifest digest is kept."
    })
final class CopyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "SOURCE", description = "The image to copy.")
  String source;

  @Parameters(index = "1", paramLabel = "DESTINATION", description = "Where to write it.")
  String destination;

  @Option(names = "--src-tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Require HTTPS and verify certificates for the source registry (default true).")
  boolean srcTlsVerify = true;

  @Option(names = "--dest-tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Require HTTPS and verify certificates for the destination registry (default true).")
  boolean destTlsVerify = true;

  @Option(names = "--src-creds", paramLabel = "USER[:PASSWORD]", description = "Credentials for the source registry.")
  String srcCreds;

  @Option(names = "--dest-creds", paramLabel = "USER[:PASSWORD]",
      description = "Credentials for the destination registry.")
  String destCreds;

  @Option(names = "--authfile", paramLabel = "FILE", description = "auth.json for both registries.")
  Path authFile;

  @Option(names = "--src-authfile", paramLabel = "FILE", description = "auth.json for the source registry.")
  Path srcAuthFile;

  @Option(names = "--dest-authfile", paramLabel = "FILE", description = "auth.json for the destination registry.")
  Path destAuthFile;

  @Option(names = "--src-cert-dir", paramLabel = "DIR",
      description = "TLS material for the source registry (*.crt authorities, *.cert/*.key client pairs) from DIR"
          + " instead of certs.d.")
  Path srcCertDir;

  @Option(names = "--dest-cert-dir", paramLabel = "DIR",
      description = "TLS material for the destination registry from DIR instead of certs.d.")
  Path destCertDir;

  @Option(names = "--additional-tag", paramLabel = "NAME:TAG",
      description = "Another name for the image at the destination (repeatable): a RepoTag of a docker-archive,"
          + " a ref name of an OCI layout or archive, a tag of a registry.")
  List<String> additionalTags = new ArrayList<>();

  @Option(names = "--dest-compress-format", paramLabel = "FORMAT",
      description = "Recompress every layer to FORMAT: gzip, zstd or zstd:chunked (each file a frame of its own, with"
          + " a table of contents: what partial pulls fetch file by file). zstd makes a Docker manifest an OCI one.")
  String compressFormat;

  @Option(names = "--dest-chunk-size", paramLabel = "SIZE",
      description = "Upload registry blobs over SIZE in PATCH requests of SIZE each (e.g. 16M; default: one PUT"
          + " per blob).")
  String chunkSize;

  @Option(names = {"-a", "--all"}, description = "When the source is an index (a manifest list), copy every image"
      + " it names and the index, not only the platform's image (skopeo's --all, --multi-arch all).")
  boolean all;

  @Option(names = "--multi-arch", paramLabel = "MODE", description = "system (the default: the platform's image"
      + " alone) or all (as --all).")
  String multiArch;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "From an index, copy this platform's image (default: the host's).")
  String platform;

  @Option(names = "--request-timeout", paramLabel = "DURATION",
      description = "How long one registry request may wait for its answer, retries included (default 2m).")
  String requestTimeout;

  @Mixin TrustPaths trustPaths;

  @Option(names = "--insecure-policy", description = "Accept the source whatever the signature policy says.")
  boolean insecurePolicy;

  @Option(names = "--remove-signatures", description = "Do not copy the source's signatures (by default they are"
      + " copied to a dir: or a registry's lookaside staging, and a copy that cannot keep them is refused).")
  boolean removeSignatures;

  @Option(names = "--sign-by", paramLabel = "KEY", description = "Sign the copy with this GPG key (a fingerprint,"
      + " e-mail or an exported secret key file), as skopeo copy --sign-by: into a dir: or the destination registry's"
      + " lookaside staging.")
  String signBy;

  @Option(names = "--sign-passphrase-file", paramLabel = "FILE",
      description = "The passphrase of the --sign-by key, from the first line of FILE.")
  Path signPassphraseFile;

  @Option(names = "--sign-identity", paramLabel = "REFERENCE",
      description = "The Docker reference the signature claims (default: the destination's; required for dir:).")
  String signIdentity;

  @Option(names = {"-q", "--quiet"}, description = "Do not show the progress of the copy.")
  boolean quiet;

  @Option(names = "--json", description = "Show progress as JSON lines and end with a JSON summary of the copy.")
  boolean json;

  @Spec CommandSpec spec;

  /** skopeo's name for the OSTree store transport, as atomic used it: {@code ostree:NAME}. */
  static final String STORE = "ostree:";

  @Override
  public Integer call() throws LifecycleException {
    if (source.startsWith(STORE) && destination.startsWith(STORE)) {
      throw new LifecycleException("Both images are in the store; give another name to an image with"
          + " `images tag`");
    }
    SourceReference src = source.startsWith(STORE) ? null : parse(source);
    SourceReference dst = destination.startsWith(STORE) ? null : parse(destination);
    HostConfig host = SourceOptionsMixin.host(common);
    ProgressPrinter.Mode mode = SourceOptionsMixin.mode(quiet, json);
    TransferListener listener = new CryptoOnOpen(new ProgressPrinter(spec.commandLine().getOut(), mode));
    SourceOptions base = SourceOptions.DEFAULT.withHost(host).withListener(listener);
    if (requestTimeout != null) {
      base = base.withRetry(base.retry().withDeadline(SourceOptionsMixin.duration("--request-timeout",
          requestTimeout)));
    }
    TrustCheck trust = trust();
    SourceOptions srcOptions = base.withHost(srcCertDir == null ? host : host.withCertDir(srcCertDir))
        .withTlsVerify(srcTlsVerify).withImageCheck(trust)
        .withCredentials(Optional.ofNullable(srcCreds).filter(c -> !c.isEmpty()))
        .withAuthFile(Optional.ofNullable(srcAuthFile != null ? srcAuthFile : authFile));
    SourceOptions destOptions = base.withHost(destCertDir == null ? host : host.withCertDir(destCertDir))
        .withTlsVerify(destTlsVerify)
        .withCredentials(Optional.ofNullable(destCreds).filter(c -> !c.isEmpty()))
        .withAuthFile(Optional.ofNullable(destAuthFile != null ? destAuthFile : authFile));
    Optional<ImageCopier.Compression> compression = compression();
    ImageCopy.Request request = new ImageCopy.Request(src, srcOptions,
        platform == null ? Platform.host() : Platform.parse(platform), dst, destOptions, additionalTags,
        new ImageCopier.Options(List.of(), compression, listener, compression
            .filter(c -> c == ImageCopier.Compression.ZSTD_CHUNKED).map(c -> ImageCopy.ZSTD_CHUNKED)),
        chunk(), all || multiArch(),
        removeSignatures ? Optional.empty() : Optional.of(trust), signing(trust));
    ImageCopier.Result result;
    try {
      if (dst == null) {
        return pullIntoStore(src, srcOptions, request.platform());
      }
      result = src == null ? catalog(storeRef(source).repo()).export(List.of(storeRef(source).name()), dst,
          destOptions, additionalTags,
          request.copyOptions(), request.chunkSize(), CommonOptions.printer(spec),
          removeSignatures ? Optional.empty() : Optional.of(trust), true).get(0) : ImageCopy.copy(request);
    } catch (LifecycleException e) {
      throw new LifecycleException("Failed: " + e.getMessage(), e, e.exitCode());
    }
    if (json) {
      spec.commandLine().getOut().println(summary(result));
    } else if (!quiet) {
      spec.commandLine().getOut().println("Copied " + source + " to " + destination + " (" + result.manifestDigest()
          + (result.manifestKept() ? ", manifest kept" : ", manifest rewritten") + ")");
    }
    return 0;
  }

  /** skopeo's {@code ostree:NAME[@/ABSOLUTE/REPO]}: the image's name, and the repository when one is named. */
  record StoreRef(String name, Optional<Path> repo) {}

  static StoreRef storeRef(String text) throws LifecycleException {
    String rest = text.substring(STORE.length());
    int at = rest.lastIndexOf("@/");
    String name = at < 0 ? rest : rest.substring(0, at);
    if (name.isEmpty()) {
      throw new LifecycleException("Invalid image '" + text + "': write ostree:NAME[@/REPOSITORY], NAME as images list"
          + " shows it");
    }
    return new StoreRef(name, at < 0 ? Optional.empty() : Optional.of(Path.of(rest.substring(at + 1))));
  }

  /** The layout of --root (or the environment's), with the repository named after {@code @} when there is one. */
  private Layout layout(Optional<Path> repo) throws LifecycleException {
    Environment env = common.environment();
    if (repo.isPresent()) {
      java.util.Map<String, String> vars = new java.util.HashMap<>(env.variables());
      vars.put("ATOMIC_OSTREE_REPO", repo.get().toString());
      env = new Environment(vars, env.uid(), env.gid(), env.home(), env.atomicConf());
    }
    return common.layout(env);
  }

  private ImageCatalog catalog(Optional<Path> repo) throws LifecycleException {
    Layout layout = layout(repo);
    return new ImageCatalog(layout, CommonOptions.edge(layout), Clock.systemUTC(), common.registries());
  }

  /** {@code copy SRC ostree:NAME}: a pull, then the name given. */
  private int pullIntoStore(SourceReference src, SourceOptions options, Platform p) throws LifecycleException {
    StoreRef ref = storeRef(destination);
    Layout layout = layout(ref.repo());
    StoredImage stored = new Puller(Stores.open(layout, Clock.systemUTC())).pull(src, options, p);
    if (!stored.name().equals(ref.name())) {
      catalog(ref.repo()).tag(stored.name(), ref.name());
    }
    if (!quiet) {
      spec.commandLine().getOut().println("Copied " + source + " to " + destination + " ("
          + stored.manifestDigest().map(Object::toString).orElse(stored.imageId()) + ")");
    }
    return 0;
  }

  private boolean multiArch() throws LifecycleException {
    if (multiArch == null || multiArch.equals("system")) {
      return false;
    }
    if (multiArch.equals("all")) {
      return true;
    }
    throw new LifecycleException("--multi-arch: '" + multiArch + "' is not one of system, all"
        + (multiArch.equals("index-only") ? " (index-only is not supported: the index's images would be missing)" : ""));
  }

  private Optional<ImageCopy.Signing> signing(TrustCheck store) throws LifecycleException {
    if (signBy == null) {
      return Optional.empty();
    }
    char[] passphrase = signPassphraseFile == null ? new char[0] : Passphrases.fromFile(signPassphraseFile);
    try {
      ImageSigner signer = ImageSigner.gpg(signBy, Optional.empty(), passphrase,
          trustPaths.settings(common, false, insecurePolicy, Optional.empty()), System.getenv(), Clock.systemUTC());
      return Optional.of(new ImageCopy.Signing(signer, Optional.ofNullable(signIdentity), store));
    } catch (TrustException e) {
      throw new LifecycleException(e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(passphrase, '\0');
    }
  }

  private TrustCheck trust() throws LifecycleException {
    try {
      return TrustCheck.load(trustPaths.settings(common, false, insecurePolicy, Optional.empty()), Clock.systemUTC());
    } catch (TrustException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  private static SourceReference parse(String text) throws LifecycleException {
    try {
      return SourceReference.parse(text);
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  private Optional<ImageCopier.Compression> compression() throws LifecycleException {
    if (compressFormat == null) {
      return Optional.empty();
    }
    switch (compressFormat) {
      case "gzip":
        return Optional.of(ImageCopier.Compression.GZIP);
      case "zstd":
        return Optional.of(ImageCopier.Compression.ZSTD);
      case "zstd:chunked":
        return Optional.of(ImageCopier.Compression.ZSTD_CHUNKED);
      default:
        throw new LifecycleException("--dest-compress-format: '" + compressFormat
            + "' is not one of gzip, zstd, zstd:chunked");
    }
  }

  private OptionalLong chunk() throws LifecycleException {
    if (chunkSize == null) {
      return OptionalLong.empty();
    }
    try {
      long n = ByteSize.parse(chunkSize);
      if (n < 1024) {
        throw new IllegalArgumentException("it must be at least 1K");
      }
      return OptionalLong.of(n);
    } catch (IllegalArgumentException e) {
      throw new LifecycleException("--dest-chunk-size: " + e.getMessage());
    }
  }

  private String summary(ImageCopier.Result r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event", "copied");
    n.put("source", source);
    n.put("destination", destination);
    n.put("manifestDigest", r.manifestDigest().toString());
    n.put("mediaType", r.mediaType());
    n.put("manifestKept", r.manifestKept());
    ArrayNode blobs = n.putArray("blobs");
    for (ImageCopier.BlobCopy b : r.blobs()) {
      ObjectNode o = blobs.addObject();
      o.put("digest", b.source().digest().toString());
      o.put("size", b.source().size());
      o.put("destinationDigest", b.destination().digest().toString());
      o.put("destinationSize", b.destination().size());
      o.put("action", b.action().name().toLowerCase(java.util.Locale.ROOT));
    }
    return n.toString();
  }
}
