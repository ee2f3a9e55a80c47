package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.host.RuntimeProbe;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.unitgen.HostContext;
import io.github.syscontainers.unitgen.RuntimeFeatures;
import io.github.syscontainers.unitgen.TemplateValues;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Installs a system container (atomic's {@code install --system}): finds or pulls the image, writes deployment
 * {@code NAME.0} completely, installs the unit and tmpfiles conf, flips the {@code NAME} symlink, then reloads,
 * applies tmpfiles and enables the unit. A failure before the flip removes everything the install wrote; the
 * leftovers of an install killed midway are recognised and cleared by the next install, so they never block it.
 *
 * <p>Not thread-safe; concurrent installs of one name are serialised by {@link ContainerLock}.
 */
public final class Installer {
  /** How an install ended. */
  public enum Outcome {
    INSTALLED,
    ALREADY_PRESENT,
    /** {@code --display}: the image was pulled and the target named; nothing was installed. */
    DISPLAYED
  }

  private final Layout layout;
  private final Environment env;
  private final Edge edge;
  private final NoticeListener out;
  private final Clock clock;
  private final HostContext host;

  public Installer(Layout layout, Environment env, Edge edge, NoticeListener out, Clock clock, HostContext host) {
    this.layout = layout;
    this.env = env;
    this.edge = edge;
    this.out = out;
    this.clock = clock;
    this.host = host;
  }

  /** Installs; returns {@link Outcome#ALREADY_PRESENT} (after printing atomic's message) when the name is taken. */
  public Outcome install(InstallRequest req) throws LifecycleException {
    String name = req.name().orElseGet(() -> ContainerNames.defaultName(req.image()));
    ContainerNames.validate(name);
    Map<String, String> setValues;
    try {
      setValues = TemplateValues.parseSet(req.setValues());
    } catch (UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    Deployments deployments = new Deployments(layout.checkoutDir());
    if (deployments.isInstalled(name)) {
      out.notice(Notice.info(name + " already present"));
      return Outcome.ALREADY_PRESENT;
    }
    try (ContainerLock lock = ContainerLock.acquire(layout.checkoutDir(), name)) {
      if (deployments.isInstalled(name)) {
        out.notice(Notice.info(name + " already present"));
        return Outcome.ALREADY_PRESENT;
      }
      Path dir = deployments.deployment(name, 0);
      if (!req.display()) {
        clearLeftovers(name, dir);
      }
      RuntimeFeatures runtime = probeRuntime(req);
      Optional<RemoteRootfs> remote =
          req.rootfs().isPresent() ? Optional.of(RemoteRootfs.resolve(req.rootfs().get(), out)) : Optional.empty();
      ImageStore store = openStore();
      StoredImage image = new ImageResolver(store).resolve(req.image(), req.source(), req.platform());
      out.notice(Notice.info("Extracting to " + layout.inRoot(dir)));
      if (req.display()) {
        return Outcome.DISPLAYED; // atomic's --display stops here, the image pulled, nothing else done
      }
      install(name, dir, image, setValues, runtime, deployments, remote);
      return Outcome.INSTALLED;
    }
  }

  private void install(
      String name,
      Path dir,
      StoredImage image,
      Map<String, String> setValues,
      RuntimeFeatures runtime,
      Deployments deployments,
      Optional<RemoteRootfs> remote)
      throws LifecycleException {
    Path unitFile = layout.unitFile(name);
    Path tmpfilesFile = layout.tmpfilesFile(name);
    boolean flipped = false;
    DeploymentWriter.Written w = null;
    try {
      w =
          new DeploymentWriter(openStore(), layout, host, out, clock)
              .write(name, dir, image, setValues, runtime, remote);
      if (w.hasService()) {
        AtomicFiles.write(unitFile, w.unit());
      }
      if (!w.tmpfiles().isEmpty()) {
        AtomicFiles.write(tmpfilesFile, w.tmpfiles());
      }
      deployments.activate(name, 0);
      flipped = true;
      for (String f : w.hostFiles().keySet()) {
        out.notice(Notice.info("Created file " + f));
      }
      if (!w.hasService()) {
        if (remote.isEmpty()) {
          DeploymentWriter.remove(dir.resolve("rootfs"));
        }
        return;
      }
      ServiceManager services = new ServiceManager(edge.systemd(), edge.tmpfiles(), out, layout);
      services.daemonReload();
      if (!w.tmpfiles().isEmpty()) {
        services.tmpfilesCreate(tmpfilesFile);
      }
      services.enable(name);
      services.reportSkipped();
    } catch (LifecycleException | IOException | RuntimeException e) {
      if (w != null) {
        new HostFiles(layout.root(), out).remove(w.hostFiles());
      }
      undo(name, dir, unitFile, tmpfilesFile, flipped, deployments);
      if (e instanceof LifecycleException) {
        throw (LifecycleException) e;
      }
      throw new LifecycleException("Tried to install " + name + " but failed: " + e.getMessage(), e);
    }
  }

  /** Removes what a failed install wrote, as atomic's INSTALL-mode cleanup did, symlink included. */
  private void undo(String name, Path dir, Path unitFile, Path tmpfilesFile, boolean flipped, Deployments d) {
    try {
      if (flipped) {
        Files.deleteIfExists(d.link(name));
      }
      Files.deleteIfExists(unitFile);
      Files.deleteIfExists(tmpfilesFile);
      DeploymentWriter.remove(dir);
    } catch (IOException | LifecycleException e) {
      out.notice(Notice.warning("Could not clean up after the failed install of " + name + ": " + e.getMessage()));
    }
  }

  /**
   * With no {@code NAME} symlink, a deployment directory is the leftover of an interrupted install and goes. A unit
   * or tmpfiles conf that is byte for byte the copy in that leftover is ours too and goes with it; any other file
   * there is the administrator's, and atomic's message stops the install.
   */
  private void clearLeftovers(String name, Path dir) throws LifecycleException {
    Path[][] pairs = {
      {layout.unitFile(name), dir.resolve(name + ".service")},
      {layout.tmpfilesFile(name), dir.resolve("tmpfiles-" + name + ".conf")}
    };
    try {
      for (Path[] p : pairs) {
        if (Files.exists(p[0])) {
          if (Files.isRegularFile(p[1]) && Files.mismatch(p[0], p[1]) == -1) {
            Files.delete(p[0]);
          } else {
            throw new LifecycleException("The file " + layout.inRoot(p[0]) + " already exists.");
          }
        }
      }
      if (DeploymentWriter.exists(dir)) {
        DeploymentWriter.remove(dir);
      }
    } catch (IOException e) {
      throw new LifecycleException("Tried to clear the leftovers of an earlier install of " + name + ": " + e, e);
    }
  }

  private RuntimeFeatures probeRuntime(InstallRequest req) throws LifecycleException {
    String runtime =
        req.runtime()
            .or(() -> layout.rootMode() ? confRuntime() : java.util.Optional.empty())
            .orElseGet(() -> RuntimeProbe.defaultRuntime(env.get("RUNC_PATH")));
    return RuntimeProbe.probe(edge.runner(), runtime, !layout.alternateRoot());
  }

  private java.util.Optional<String> confRuntime() {
    try {
      Path conf = env.get("ATOMIC_CONF").map(Path::of).orElse(layout.root().resolve("etc/atomic.conf"));
      return AtomicConf.read(conf).get("runtime");
    } catch (LifecycleException e) {
      return java.util.Optional.empty();
    }
  }

  private ImageStore openStore() throws LifecycleException {
    return Stores.open(layout, clock);
  }
}
