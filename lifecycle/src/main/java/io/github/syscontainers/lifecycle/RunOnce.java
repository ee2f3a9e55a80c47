package io.github.syscontainers.lifecycle;

import io.github.syscontainers.lifecycle.host.CommandRunner;
import io.github.syscontainers.lifecycle.host.InteractiveRunner;
import io.github.syscontainers.lifecycle.host.InteractiveRunner.Stdio;
import io.github.syscontainers.lifecycle.host.RuntimeProbe;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.ImageConfig;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.unitgen.RuntimeFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run-once container (§8.5): an image labelled {@code atomic.run=once} at {@code install}, or any image given to
 * {@code run} with a command. Checked out under {@code REPO/tmp/atomic-container/PID}, its config.json and tmpfiles
 * made from the image's templates, run by the OCI runtime in the foreground with the user's terminal, and removed
 * afterwards whatever happened. No unit, no info file, nothing on the host but what its tmpfiles create.
 */
public final class RunOnce {
  /** The label that makes {@code install} run an image once instead of installing it. */
  public static final String LABEL = "atomic.run";

  private final LifecycleContext ctx;

  public RunOnce(LifecycleContext context) {
    this.ctx = context;
  }

  /** Whether the image's config carries {@code atomic.run=once}. */
  static boolean isRunOnce(ImageStore store, StoredImage image) throws LifecycleException {
    try {
      if (image.config().isEmpty()) {
        return false;
      }
      Optional<byte[]> config = store.readConfig(image.config().get());
      return config.isPresent() && "once".equals(ImageConfig.parse(config.get()).labels().get(LABEL));
    } catch (ObjectStoreException | RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /**
   * {@code run IMAGE [COMMAND…]}: resolves the image (pulling it when it is not stored) and runs it once as
   * {@code run-once-PID}, as atomic named it; returns the exit status.
   */
  public int runImage(String imageRef, SourceOptions source, Platform platform, Map<String, String> setValues,
      List<String> args, Optional<String> runtimePath) throws LifecycleException {
    return runImage(imageRef, source, platform, setValues, args, runtimePath, Stdio.INHERIT).exitCode();
  }

  /** {@link #runImage(String, SourceOptions, Platform, Map, List, Optional)} with its output captured or not. */
  public CommandRunner.Result runImage(String imageRef, SourceOptions source, Platform platform,
      Map<String, String> setValues, List<String> args, Optional<String> runtimePath, Stdio stdio)
      throws LifecycleException {
    StoredImage image = new ImageResolver(Stores.open(ctx.layout(), ctx.clock())).resolve(imageRef, source, platform);
    return run(image, "run-once-" + ProcessHandle.current().pid(), setValues, args, runtimePath, stdio);
  }

  /**
   * Runs {@code image} once as {@code name}; returns the runtime's exit status.
   *
   * @param args the command, or empty for the image's own
   */
  public int run(StoredImage image, String name, Map<String, String> setValues, List<String> args,
      Optional<String> runtimePath) throws LifecycleException {
    return run(image, name, setValues, args, runtimePath, Stdio.INHERIT).exitCode();
  }

  private CommandRunner.Result run(StoredImage image, String name, Map<String, String> setValues, List<String> args,
      Optional<String> runtimePath, Stdio stdio) throws LifecycleException {
    ContainerNames.validateNew(name);
    Path base = ctx.layout().repo().resolve("tmp/atomic-container/" + ProcessHandle.current().pid());
    String runtime = runtimePath.orElseGet(() -> RuntimeProbe.defaultRuntime(ctx.env().get("RUNC_PATH")));
    RuntimeFeatures features = RuntimeProbe.probe(ctx.edge().runner(), runtime, !ctx.layout().alternateRoot());
    Optional<Path> tmpfiles = Optional.empty();
    try {
      DeploymentWriter.remove(base);
      Files.createDirectories(base);
      tmpfiles =
          new DeploymentWriter(Stores.open(ctx.layout(), ctx.clock()), ctx.layout(), ctx.host(), ctx.out(), ctx.clock())
              .writeRunOnce(name, base, image, setValues, features, args, InteractiveRunner.terminal(stdio));
      if (tmpfiles.isPresent()) {
        ctx.edge().tmpfiles().create(tmpfiles.get());
      }
      return new InteractiveRunner().run(List.of(runtime, "run", name), base, stdio);
    } catch (IOException e) {
      throw new LifecycleException("Tried to run " + image.name() + " once as " + name + " but failed: " + e, e);
    } finally {
      if (tmpfiles.isPresent()) {
        try {
          ctx.edge().tmpfiles().remove(tmpfiles.get());
        } catch (LifecycleException e) {
          ctx.out().notice(Notice.warning("Could not remove what the tmpfiles of " + name + " created: " + e.getMessage()));
        }
      }
      try {
        DeploymentWriter.remove(base);
      } catch (LifecycleException e) {
        ctx.out().notice(Notice.warning("Could not remove " + base + ": " + e.getMessage()));
      }
    }
  }
}
