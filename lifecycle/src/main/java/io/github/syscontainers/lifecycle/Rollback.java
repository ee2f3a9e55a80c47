package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.host.RuntimeProbe;
import io.github.syscontainers.unitgen.InfoFile;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code containers rollback} (§8.8): back to the other deployment, with its own unit, tmpfiles conf, host files
 * and values (nothing is regenerated), the service restarted if it ran. Rolling back twice returns to where it
 * started. Fixed from atomic: host files of the previous deployment are installed with its own values, so
 * templated host files do not break the rollback.
 */
public final class Rollback {
  private final Layout layout;
  private final Edge edge;
  private final NoticeListener out;

  public Rollback(Layout layout, Edge edge, NoticeListener out) {
    this.layout = layout;
    this.edge = edge;
    this.out = out;
  }

  /** Rolls back; {@code lock} is false when the caller (an update) already holds the container lock. */
  public void rollback(String name, boolean lock) throws LifecycleException {
    ContainerNames.validate(name);
    if (lock) {
      try (ContainerLock l = ContainerLock.acquire(layout.checkoutDir(), name)) {
        rollback(name, () -> {});
      }
    } else {
      rollback(name, () -> {});
    }
  }

  /**
   * Rolls back a container whose lock the caller holds; {@code beforeFlip} runs once the service is stopped and the
   * previous deployment's unit, tmpfiles conf and host files are in place, just before the switch.
   */
  void rollback(String name, Runnable beforeFlip) throws LifecycleException {
    Deployments deployments = new Deployments(layout.checkoutDir());
    InstalledContainer current = InstalledContainer.load(layout, name);
    int target = 1 - current.slot();
    Path destination = deployments.deployment(name, target);
    if (!Files.isRegularFile(destination.resolve("info"))) {
      throw new LifecycleException(
          "Error: Cannot find a previous deployment to rollback located at " + layout.inRoot(destination));
    }
    InfoFile previous = read(destination);
    boolean hasService = current.info().hasContainerService();
    if (previous.hasContainerService() && !Files.isRegularFile(destination.resolve(name + ".service"))) {
      throw new LifecycleException(
          "Error: Cannot find systemd service file for previous version. The previous checkout at "
              + layout.inRoot(destination) + " may be corrupted.");
    }
    out.notice(Notice.info("Rolling back container " + name + " to the checkout at " + layout.inRoot(destination)));
    ServiceManager services = new ServiceManager(edge.systemd(), edge.tmpfiles(), out, layout);
    boolean wasActive = hasService && services.isActive(name);
    if (wasActive) {
      services.stop(name);
    }
    Path unitFile = layout.unitFile(name);
    Path tmpfilesFile = layout.tmpfilesFile(name);
    try {
      if (Files.exists(tmpfilesFile)) {
        services.tmpfilesRemove(tmpfilesFile);
        Files.delete(tmpfilesFile);
      }
      Files.deleteIfExists(unitFile);
      if (previous.hasContainerService()) {
        AtomicFiles.write(unitFile, Files.readString(destination.resolve(name + ".service")));
      }
      Path prevTmpfiles = destination.resolve("tmpfiles-" + name + ".conf");
      if (Files.isRegularFile(prevTmpfiles)) {
        AtomicFiles.write(tmpfilesFile, Files.readString(prevTmpfiles));
      }
      HostFiles hostFiles = new HostFiles(layout.root(), out);
      hostFiles.remove(current.info().installedFilesChecksum());
      hostFiles.install(
          destination.resolve("rootfs/exports/hostfs"),
          previous.renameInstalledFiles(),
          previous.installedFilesTemplate(),
          previous.values());
      beforeFlip.run();
      deployments.activate(name, target);
    } catch (IOException e) {
      throw new LifecycleException("Tried to roll back " + name + " but failed: " + e.getMessage(), e);
    }
    if (previous.hasContainerService()) {
      services.daemonReload();
    }
    if (Files.exists(tmpfilesFile)) {
      services.tmpfilesCreate(tmpfilesFile);
    }
    if (wasActive) {
      services.start(name);
    }
    services.reportSkipped();
  }

  private static InfoFile read(Path deployment) throws LifecycleException {
    try {
      return InfoFile.parse(
          Files.readString(deployment.resolve("info"), StandardCharsets.UTF_8),
          RuntimeProbe.defaultRuntime(Optional.empty()));
    } catch (IOException | UnitGenException e) {
      throw new LifecycleException("Cannot read " + deployment.resolve("info") + ": " + e.getMessage(), e);
    }
  }
}
