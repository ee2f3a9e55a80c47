package io.github.syscontainers.cli;

import io.github.syscontainers.api.Pulled;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.registry.SourceReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers pull IMAGE}: fetch an image into the OSTree repository. */
@Command(name = "pull", description = "Pull an image into the OSTree repository.")
final class PullCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin SourceOptionsMixin source;

  @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "Accepted for atomic compatibility; ignored by"
      + " the OSTree storage, as in atomic.")
  String type;

  @Parameters(paramLabel = "IMAGE",
      description = "docker://REF, oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:NAME:TAG|:@N]"
          + " or a name.")
  String image;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      SourceReference.parse(image); // a malformed reference is named as the parser says it, before anything opens
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    try {
      Pulled pulled = Facade.open(common, spec).pull().setImage(image).setSources(source.sources(common))
          .setProgress(source.progress()).call();
      spec.commandLine().getOut().println("Pulled " + pulled.name() + " (" + pulled.imageId().substring(0, 12) + ")");
      return 0;
    } catch (SystemContainersException e) {
      throw new LifecycleException("Failed: " + e.getMessage(), e, e.exitCode());
    }
  }

}
