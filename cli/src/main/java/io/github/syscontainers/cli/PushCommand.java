package io.github.syscontainers.cli;

import io.github.syscontainers.api.Copied;
import io.github.syscontainers.api.Sources;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers push IMAGE [DESTINATION]}: a stored image to a registry (or any transport), as podman push. */
@Command(
    name = "push",
    description = {
      "Push an image of the store to a registry, as podman push (DESTINATION defaults to docker://IMAGE), or"
          + " write it to any other transport copy takes.",
      "Each layer's tar is rebuilt byte for byte from the tar-split record kept when it was pulled"
          + " (keep-tar-split=true) and gzip-compressed again: the config and DiffIDs are the pulled ones, the"
          + " layer and manifest digests new. A layer without a record is rebuilt from its files, with a warning."
    })
final class PushCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A stored image, by the name images list shows.")
  String image;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DESTINATION",
      description = "docker://REF (default: docker://IMAGE), or oci:, oci-archive:, docker-archive:, dir:.")
  String destination;

  @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Require HTTPS and verify certificates (default true). false allows plain HTTP.")
  boolean tlsVerify = true;

  @Option(names = "--creds", paramLabel = "USER[:PASSWORD]", description = "Credentials for the registry.")
  String creds;

  @Option(names = "--authfile", paramLabel = "FILE", description = "Read credentials from this auth.json.")
  Path authFile;

  @Option(names = "--cert-dir", paramLabel = "DIR",
      description = "TLS material for the registry (*.crt, *.cert/*.key) from DIR instead of certs.d.")
  Path certDir;

  @Option(names = "--remove-signatures", description = "Do not push the signatures stored with the image (by"
      + " default they go to the registry's lookaside staging, and a push that cannot take them is refused).")
  boolean removeSignatures;

  @Mixin TrustPaths trustPaths;

  @Option(names = {"-q", "--quiet"}, description = "Do not show the progress.")
  boolean quiet;

  @Option(names = "--json", description = "Show progress as JSON lines.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws LifecycleException, SystemContainersException {
    ProgressPrinter printer = new ProgressPrinter(spec.commandLine().getOut(), SourceOptionsMixin.mode(quiet, json));
    Sources registry = trustPaths.sources().withTlsVerify(tlsVerify)
        .withCredentials(Optional.ofNullable(creds).filter(c -> !c.isEmpty())).withAuthFile(Optional.ofNullable(authFile))
        .withCertDir(Optional.ofNullable(certDir));
    var push = Facade.open(common, spec).push().setImage(image).setDestination(destination).setSources(registry)
        .setRemoveSignatures(removeSignatures).setProgress(printer);
    String target = push.target();
    Copied result;
    try {
      result = push.call();
    } catch (SystemContainersException e) {
      throw new LifecycleException("Failed: " + e.getMessage(), e, e.exitCode());
    }
    if (!quiet && !json) {
      spec.commandLine().getOut().println("Pushed " + image + " to " + target + " ("
          + result.manifestDigest().map(Object::toString).orElse("") + ")");
    }
    return 0;
  }
}
