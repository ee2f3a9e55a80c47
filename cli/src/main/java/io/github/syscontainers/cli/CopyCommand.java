package io.github.syscontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.api.Compression;
import io.github.syscontainers.api.Copied;
import io.github.syscontainers.api.CopiedBlob;
import io.github.syscontainers.api.Sources;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ByteSize;
import java.nio.file.Path;
import java.time.Duration;
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

  @Override
  public Integer call() throws LifecycleException, SystemContainersException {
    Optional<Duration> timeout = requestTimeout == null ? Optional.empty()
        : Optional.of(SourceOptionsMixin.duration("--request-timeout", requestTimeout));
    Sources src = new Sources(srcTlsVerify, Optional.ofNullable(srcCreds).filter(c -> !c.isEmpty()),
        Optional.ofNullable(srcAuthFile != null ? srcAuthFile : authFile), Optional.ofNullable(srcCertDir), timeout,
        OptionalLong.empty(), OptionalLong.empty(), Optional.ofNullable(trustPaths.signaturePolicy), insecurePolicy,
        Optional.empty(), Optional.ofNullable(trustPaths.registriesD),
        platform == null ? Platform.host() : Platform.parse(platform));
    Sources dest = new Sources(destTlsVerify, Optional.ofNullable(destCreds).filter(c -> !c.isEmpty()),
        Optional.ofNullable(destAuthFile != null ? destAuthFile : authFile), Optional.ofNullable(destCertDir), timeout,
        OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(),
        Platform.host());
    ProgressPrinter printer = new ProgressPrinter(spec.commandLine().getOut(), SourceOptionsMixin.mode(quiet, json));
    var copy = Facade.open(common, spec).copy().setSource(source).setDestination(destination)
        .setSourceSources(src).setDestinationSources(dest).setAll(all || multiArch())
        .setRemoveSignatures(removeSignatures).setProgress(printer);
    additionalTags.forEach(copy::addAdditionalTag);
    compression().ifPresent(copy::setDestCompressFormat);
    OptionalLong chunk = chunk();
    if (chunk.isPresent()) {
      copy.setDestChunkSize(chunk.getAsLong());
    }
    if (signBy != null) {
      char[] passphrase = signPassphraseFile == null ? new char[0] : Passphrases.fromFile(signPassphraseFile);
      copy.setSignBy(signBy).setSignPassphrase(passphrase).setSignIdentity(signIdentity);
      java.util.Arrays.fill(passphrase, '\0');
    }
    Copied result;
    try {
      result = copy.call();
    } catch (SystemContainersException e) {
      throw new LifecycleException("Failed: " + e.getMessage(), e, e.exitCode());
    }
    String digest = result.manifestDigest().map(Object::toString).or(result::storedImageId).orElse("");
    if (json && result.storedImageId().isEmpty()) {
      spec.commandLine().getOut().println(summary(result));
    } else if (!quiet && result.storedImageId().isPresent()) {
      spec.commandLine().getOut().println("Copied " + source + " to " + destination + " (" + digest + ")");
    } else if (!quiet && !json) {
      spec.commandLine().getOut().println("Copied " + source + " to " + destination + " (" + digest
          + (result.manifestKept() ? ", manifest kept" : ", manifest rewritten") + ")");
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

  private Optional<Compression> compression() throws LifecycleException {
    if (compressFormat == null) {
      return Optional.empty();
    }
    switch (compressFormat) {
      case "gzip":
        return Optional.of(Compression.GZIP);
      case "zstd":
        return Optional.of(Compression.ZSTD);
      case "zstd:chunked":
        return Optional.of(Compression.ZSTD_CHUNKED);
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

  private String summary(Copied r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event", "copied");
    n.put("source", source);
    n.put("destination", destination);
    n.put("manifestDigest", r.manifestDigest().map(Object::toString).orElse(""));
    n.put("mediaType", r.mediaType());
    n.put("manifestKept", r.manifestKept());
    ArrayNode blobs = n.putArray("blobs");
    for (CopiedBlob b : r.blobs()) {
      ObjectNode o = blobs.addObject();
      o.put("digest", b.source().digest().toString());
      o.put("size", b.source().size());
      o.put("destinationDigest", b.destination().digest().toString());
      o.put("destinationSize", b.destination().size());
      o.put("action", b.action());
    }
    return n.toString();
  }
}
