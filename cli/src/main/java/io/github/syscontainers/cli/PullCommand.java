package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.Layout;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Puller;
import io.github.syscontainers.lifecycle.Stores;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import java.time.Clock;
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
  public Integer call() throws LifecycleException {
    Environment env = common.environment();
    Layout layout = common.layout(env);
    SourceReference ref;
    try {
      ref = SourceReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    SourceOptions options = source.sourceOptions(common);
    try {
      ImageStore store = Stores.open(layout, Clock.systemUTC());
      StoredImage stored = new Puller(store).pull(ref, options, source.platform());
      spec.commandLine().getOut().println("Pulled " + stored.name() + " (" + stored.imageId().substring(0, 12) + ")");
      return 0;
    } catch (LifecycleException e) {
      throw new LifecycleException("Failed: " + e.getMessage(), e, e.exitCode());
    }
  }
}
