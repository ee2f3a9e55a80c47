package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.host.RuntimeProbe;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.unitgen.RuntimeFeatures;
import io.github.syscontainers.unitgen.TemplateValues;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code containers update} (§8.3): a new deployment in the other slot, cleaned first (atomic left stale files of
 * the older deployment there), from the current image or a {@code --rebase} image, with the stored values and
 * {@code --set} on top (so the UUID stays stable); the unit and tmpfiles conf replaced, the symlink flipped, the
 * service restarted if it ran. With {@code controlled}, a service that fails to start is rolled back automatically.
 * A failure before the flip leaves the running deployment as it was.
 */
public final class Updater {
  /** How an update ended. */
  public enum Outcome {
    UPDATED,
    UP_TO_DATE
  }

  private final LifecycleContext ctx;

  public Updater(LifecycleContext context) {
    this.ctx = context;
  }

  public Outcome update(
      String name,
      List<String> set,
      Optional<String> rebase,
      Optional<String> runtime,
      SourceOptions source,
      Platform platform,
      boolean controlled)
      throws LifecycleException {
    ContainerNames.validate(name);
    Deployments deployments = new Deployments(ctx.layout().checkoutDir());
    try (ContainerLock lock = ContainerLock.acquire(ctx.layout().checkoutDir(), name)) {
      InstalledContainer current = InstalledContainer.load(ctx.layout(), name);
      // the values are checked before a --rebase image is pulled
      Map<String, String> setValues = TemplateValues.parseSet(set);
      AutoUpdatePolicy.of(setValues, Map.of());
      ImageStore store = store();
      StoredImage image =
          rebase.isPresent()
              ? new ImageResolver(store).resolve(rebase.get(), source, platform)
              : store.findImage(current.info().image())
                  .orElseThrow(() -> new LifecycleException("Image " + current.info().image() + " not found"));
      Map<String, Object> values = new LinkedHashMap<>(current.info().values());
      boolean valuesChanged = false;
      for (Map.Entry<String, String> e : setValues.entrySet()) {
        valuesChanged |= !Objects.equals(String.valueOf(values.get(e.getKey())), e.getValue());
        values.put(e.getKey(), e.getValue());
      }
      if (image.imageId().equals(current.info().revision()) && !valuesChanged) {
        ctx.out().notice(Notice.info("Latest version already installed."));
        return Outcome.UP_TO_DATE;
      }
      String rt = runtime.orElse(current.info().runtime());
      RuntimeFeatures features = RuntimeProbe.probe(ctx.edge().runner(), rt, !ctx.layout().alternateRoot());
      int next = 1 - current.slot();
      deploy(current, next, image, values, features, deployments, controlled, () -> {});
      return Outcome.UPDATED;
    } catch (ObjectStoreException | UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /**
   * Moves {@code current} (locked by the caller) to {@code image} with its values as they are, restarting the service
   * if it ran: {@code auto-update}'s deploy. {@code beforeFlip} runs once the service is stopped and the new deployment
   * written, just before the switch.
   */
  void deployLocked(InstalledContainer current, StoredImage image, Runnable beforeFlip) throws LifecycleException {
    RuntimeFeatures features =
        RuntimeProbe.probe(ctx.edge().runner(), current.info().runtime(), !ctx.layout().alternateRoot());
    deploy(current, 1 - current.slot(), image, new LinkedHashMap<>(current.info().values()), features,
        new Deployments(ctx.layout().checkoutDir()), false, beforeFlip);
  }

  private void deploy(
      InstalledContainer current,
      int next,
      StoredImage image,
      Map<String, Object> values,
      RuntimeFeatures runtime,
      Deployments deployments,
      boolean controlled,
      Runnable beforeFlip)
      throws LifecycleException {
    String name = current.name();
    Path dir = deployments.deployment(name, next);
    // the other slot: the rollback target, or what an interrupted update left, host files included
    DeploymentWriter.removeLeftover(
        dir, new HostFiles(ctx.layout().root(), ctx.out()), current.info().installedFilesChecksum());
    ctx.out().notice(Notice.info("Extracting to " + ctx.layout().inRoot(dir)));
    ServiceManager services = new ServiceManager(ctx.edge().systemd(), ctx.edge().tmpfiles(), ctx.out(), ctx.layout());
    boolean wasActive = current.info().hasContainerService() && services.isActive(name);
    // a deployment that put no files on the host leaves nothing the new one could collide with: the new one is
    // written while the service still runs, so it is down only for the switch
    boolean early = current.info().installedFilesChecksum().isEmpty();
    Path tmpfilesFile = ctx.layout().tmpfilesFile(name);
    DeploymentWriter.Written w = null;
    if (early) {
      w = write(current, dir, image, values, runtime);
    }
    if (wasActive) {
      try {
        services.stop(name);
      } catch (LifecycleException e) {
        if (early) {
          DeploymentWriter.removeLeftover(
              dir, new HostFiles(ctx.layout().root(), ctx.out()), current.info().installedFilesChecksum());
        }
        throw e;
      }
    }
    if (Files.exists(tmpfilesFile)) {
      services.tmpfilesRemove(tmpfilesFile);
    }
    HostFiles hostFiles = new HostFiles(ctx.layout().root(), ctx.out());
    hostFiles.remove(current.info().installedFilesChecksum());
    if (!early) {
      try {
        w = write(current, dir, image, values, runtime);
      } catch (LifecycleException | RuntimeException e) {
        restore(current, services, wasActive);
        throw e;
      }
    }
    beforeFlip.run();
    try {
      Path unitFile = ctx.layout().unitFile(name);
      if (w.hasService()) {
        AtomicFiles.write(unitFile, w.unit());
      } else {
        Files.deleteIfExists(unitFile);
      }
      if (!w.tmpfiles().isEmpty()) {
        AtomicFiles.write(tmpfilesFile, w.tmpfiles());
      } else {
        Files.deleteIfExists(tmpfilesFile);
      }
      deployments.activate(name, next);
    } catch (IOException e) {
      throw new LifecycleException("Tried to activate " + dir + " but failed: " + e.getMessage(), e);
    }
    for (String f : w.hostFiles().keySet()) {
      ctx.out().notice(Notice.info("Created file " + f));
    }
    if (!w.hasService()) {
      if (current.info().remote().isEmpty()) {
        DeploymentWriter.remove(dir.resolve("rootfs"));
      }
      return;
    }
    services.daemonReload();
    if (!w.tmpfiles().isEmpty()) {
      services.tmpfilesCreate(tmpfilesFile);
    }
    if (wasActive) {
      try {
        services.start(name);
      } catch (LifecycleException e) {
        if (!controlled) {
          throw e;
        }
        ctx.out().notice(Notice.warning("Could not restart " + name + ".  Attempt automatic rollback"));
        new Rollback(ctx.layout(), ctx.edge(), ctx.out()).rollback(name, false);
        services.start(name);
      }
    }
    services.reportSkipped();
  }

  /** Writes the new deployment; on failure nothing of it is left (the directory goes). */
  private DeploymentWriter.Written write(
      InstalledContainer current, Path dir, StoredImage image, Map<String, Object> values, RuntimeFeatures runtime)
      throws LifecycleException {
    try {
      Optional<RemoteRootfs> remote =
          current.info().remote().isPresent()
              ? Optional.of(RemoteRootfs.resolve(current.info().remote().get(), ctx.out()))
              : Optional.empty();
      if (remote.isPresent()) {
        ctx.out().notice(Notice.info("Updating a container with a remote rootfs. Only changes to config will be applied."));
      }
      return new DeploymentWriter(store(), ctx.layout(), ctx.host(), ctx.out(), ctx.clock())
          .write(current.name(), dir, image, values, runtime, remote, current.info().healthCheck());
    } catch (LifecycleException | RuntimeException e) {
      DeploymentWriter.removeLeftover(
          dir, new HostFiles(ctx.layout().root(), ctx.out()), current.info().installedFilesChecksum());
      throw e;
    }
  }

  /** Puts back what the update took away before it failed: the old ctx.host() files, the service. */
  private void restore(InstalledContainer current, ServiceManager services, boolean wasActive) {
    try {
      Path exports = current.deployment().resolve("rootfs/exports");
      new HostFiles(ctx.layout().root(), ctx.out())
          .install(
              exports.resolve("hostfs"),
              current.info().renameInstalledFiles(),
              current.info().installedFilesTemplate(),
              current.info().values());
      Path tmpfilesFile = ctx.layout().tmpfilesFile(current.name());
      if (Files.exists(tmpfilesFile)) {
        services.tmpfilesCreate(tmpfilesFile);
      }
      if (wasActive) {
        services.start(current.name());
      }
    } catch (LifecycleException e) {
      ctx.out().notice(Notice.warning("Could not restore " + current.name() + " completely: " + e.getMessage()));
    }
  }

  private ImageStore store() throws LifecycleException {
    return Stores.open(ctx.layout(), ctx.clock());
  }
}
