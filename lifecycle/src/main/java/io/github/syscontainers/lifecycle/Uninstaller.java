package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.host.RuntimeProbe;
import io.github.syscontainers.unitgen.InfoFile;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Uninstalls a system container in atomic's order: disable and stop the unit, remove the unit file, reload,
 * remove what tmpfiles created and the conf, remove the {@code NAME} symlink, then both deployments. Every step
 * tolerates what an interrupted install or uninstall left, so running it again always finishes the job; the image
 * stays in the store.
 */
public final class Uninstaller {
  private final Layout layout;
  private final Edge edge;
  private final NoticeListener out;

  public Uninstaller(Layout layout, Edge edge, NoticeListener out) {
    this.layout = layout;
    this.edge = edge;
    this.out = out;
  }

  public void uninstall(String name) throws LifecycleException {
    ContainerNames.validate(name);
    Deployments deployments = new Deployments(layout.checkoutDir());
    Path unitFile = layout.unitFile(name);
    Path tmpfilesFile = layout.tmpfilesFile(name);
    List<Path> slots = List.of(deployments.deployment(name, 0), deployments.deployment(name, 1));
    boolean anything =
        deployments.isInstalled(name)
            || Files.exists(unitFile)
            || Files.exists(tmpfilesFile)
            || slots.stream().anyMatch(DeploymentWriter::exists);
    if (!anything) {
      throw new LifecycleException(
          "System container '" + name + "' is not installed; `syscontainers containers list -a` shows what is");
    }
    try (ContainerLock lock = ContainerLock.acquire(layout.checkoutDir(), name)) {
      Optional<InfoFile> info = activeInfo(deployments, name);
      if (info.isPresent()) {
        ContainerRoots.check(info.get(), name, layout);
      }
      boolean hasService = info.map(InfoFile::hasContainerService).orElse(true);
      ServiceManager services = new ServiceManager(edge.systemd(), edge.tmpfiles(), out, layout);
      if (hasService && Files.exists(unitFile)) {
        services.disableNow(name);
      }
      Files.deleteIfExists(unitFile);
      try {
        services.daemonReload();
      } catch (LifecycleException e) {
        out.notice(Notice.warning(e.getMessage()));
      }
      if (Files.exists(tmpfilesFile)) {
        services.tmpfilesRemove(tmpfilesFile);
        Files.deleteIfExists(tmpfilesFile);
      }
      info.ifPresent(i -> new HostFiles(layout.root(), out).remove(i.installedFilesChecksum()));
      Files.deleteIfExists(deployments.link(name));
      HostFiles hostFiles = new HostFiles(layout.root(), out);
      for (Path slot : slots) {
        // also what an interrupted install or update left there, host files included
        DeploymentWriter.removeLeftover(slot, hostFiles, Map.of());
      }
      services.reportSkipped();
    } catch (IOException e) {
      throw new LifecycleException(
          "Tried to uninstall " + name + " but failed: " + e.getMessage() + "; run the uninstall again", e);
    }
  }

  private Optional<InfoFile> activeInfo(Deployments deployments, String name) throws IOException {
    Optional<Path> active = deployments.active(name);
    if (active.isEmpty() || !Files.isRegularFile(active.get().resolve("info"))) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(active.get().resolve("info"), StandardCharsets.UTF_8);
      return Optional.of(InfoFile.parse(text, RuntimeProbe.defaultRuntime(Optional.empty())));
    } catch (UnitGenException e) {
      out.notice(Notice.warning("The info file of " + name + " is unreadable (" + e.getMessage() + "); host files stay"));
      return Optional.empty();
    }
  }
}
