package io.github.syscontainers.cli;

import io.github.syscontainers.api.ArchiveFormat;
import io.github.syscontainers.api.Copied;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers save -o FILE IMAGE...}: stored images to an archive, as {@code podman save}. */
@Command(
    name = "save",
    description = {
      "Save images of the store to an archive, as podman save: several images in one docker-archive or"
          + " oci-archive, each under its name, layers they share stored once.",
      "Each layer's tar is rebuilt byte for byte from the tar-split record kept when it was pulled"
          + " (keep-tar-split=true), so the config and its DiffIDs are the pulled ones; layers are gzip-compressed"
          + " again for OCI formats. A layer without a record is rebuilt from its files, with a warning: its DiffID"
          + " and the config's digest are then new."
    })
final class SaveCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
      description = "The archive (or directory, for oci-dir and docker-dir) to write.")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "docker-archive",
      description = "docker-archive (default), oci-archive, oci-dir or docker-dir (containers/image's dir:).")
  String format;

  @Option(names = {"-q", "--quiet"}, description = "Do not show the progress.")
  boolean quiet;

  @Option(names = "--json", description = "Show progress as JSON lines.")
  boolean json;

  @Mixin TrustPaths trustPaths;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Stored images, by the names images list shows.")
  List<String> images;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws LifecycleException, SystemContainersException {
    ArchiveFormat f;
    switch (format) {
      case "docker-archive":
        f = ArchiveFormat.DOCKER_ARCHIVE;
        break;
      case "oci-archive":
        f = ArchiveFormat.OCI_ARCHIVE;
        break;
      case "oci-dir":
        f = ArchiveFormat.OCI_DIR;
        break;
      case "docker-dir":
        f = ArchiveFormat.DOCKER_DIR;
        break;
      default:
        throw new LifecycleException("--format: '" + format + "' is not one of docker-archive, oci-archive, oci-dir,"
            + " docker-dir");
    }
    ProgressPrinter printer = new ProgressPrinter(spec.commandLine().getOut(), SourceOptionsMixin.mode(quiet, json));
    var save = Facade.open(common, spec).save().addImage(images.toArray(String[]::new)).setOutput(output).setFormat(f)
        .setSources(trustPaths.sources()).setProgress(printer);
    List<Copied> results;
    try {
      results = save.call();
    } catch (SystemContainersException e) {
      throw new LifecycleException("Failed: " + e.getMessage(), e, e.exitCode());
    }
    if (!quiet && !json) {
      spec.commandLine().getOut().println("Saved " + results.size() + " image" + (results.size() == 1 ? "" : "s")
          + " to " + output + " (" + format + ")");
    }
    return 0;
  }
}
