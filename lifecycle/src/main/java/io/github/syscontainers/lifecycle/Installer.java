package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.host.RuntimeProbe;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoreTransaction;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.unitgen.RuntimeFeatures;
import io.github.syscontainers.unitgen.TemplateValues;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    DISPLAYED,
    /** The image is labelled {@code atomic.run=once}: it ran in the foreground and was removed (§8.5). */
    RAN_ONCE
  }

  /** How an install ended, and for a run-once image the exit status of its run. */
  public record Result(Outcome outcome, int exitCode) {}

  private final LifecycleContext ctx;

  public Installer(LifecycleContext context) {
    this.ctx = context;
  }

  /** Installs; {@link Outcome#ALREADY_PRESENT} (after atomic's message) when the name is taken. */
  public Result install(InstallRequest req) throws LifecycleException {
    String name = req.name().orElseGet(() -> ContainerNames.defaultName(req.image()));
    ContainerNames.validateNew(name);
    Map<String, String> setValues;
    try {
      setValues = TemplateValues.parseSet(req.setValues());
    } catch (UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
    AutoUpdatePolicy.of(setValues, Map.of()); // a bad policy is refused before anything is pulled
    Deployments deployments = new Deployments(ctx.layout().checkoutDir());
    if (deployments.isInstalled(name)) {
      ctx.out().notice(Notice.info(name + " already present"));
      return new Result(Outcome.ALREADY_PRESENT, 0);
    }
    try (ContainerLock lock = ContainerLock.acquire(ctx.layout().checkoutDir(), name)) {
      if (deployments.isInstalled(name)) {
        ctx.out().notice(Notice.info(name + " already present"));
        return new Result(Outcome.ALREADY_PRESENT, 0);
      }
      Path dir = deployments.deployment(name, 0);
      if (!req.display()) {
        clearLeftovers(name, dir);
      }
      RuntimeFeatures runtime = probeRuntime(req);
      Optional<RemoteRootfs> remote =
          req.rootfs().isPresent()
              ? Optional.of(RemoteRootfs.resolve(req.rootfs().get(), ctx.out()))
              : Optional.empty();
      ImageStore store = openStore();
      // what the install pulls is published (synced, then its refs written) while the deployment is written; the
      // transaction, which holds the repository lock, is closed (published) before anything that may take long
      try (StoreTransaction tx = store.begin()) {
        StoredImage image = new ImageResolver(store).resolve(req.image(), req.source(), req.platform());
        if (!req.display() && RunOnce.isRunOnce(store, image)) {
          tx.close();
          int status = new RunOnce(ctx)
              .run(image, name, setValues, List.of(), Optional.of(runtime.path()));
          return new Result(Outcome.RAN_ONCE, status);
        }
        ctx.out().notice(Notice.info("Extracting to " + ctx.layout().inRoot(dir)));
        if (req.display()) {
          return new Result(Outcome.DISPLAYED, 0); // atomic's --display stops here, the image pulled
        }
        tx.publishInBackground();
        install(name, dir, image, setValues, runtime, deployments, remote, store, tx, req.healthCheck());
        return new Result(Outcome.INSTALLED, 0);
      } catch (ObjectStoreException e) {
        throw new LifecycleException(e.getMessage(), e);
      }
    }
  }

  private void install(
      String name,
      Path dir,
      StoredImage image,
      Map<String, String> setValues,
      RuntimeFeatures runtime,
      Deployments deployments,
      Optional<RemoteRootfs> remote,
      ImageStore store,
      StoreTransaction pulled,
      Optional<io.github.syscontainers.unitgen.HealthCheck> healthCheck)
      throws LifecycleException {
    Path unitFile = ctx.layout().unitFile(name);
    Path tmpfilesFile = ctx.layout().tmpfilesFile(name);
    boolean flipped = false;
    DeploymentWriter.Written w = null;
    try {
      w =
          new DeploymentWriter(store, ctx.layout(), ctx.host(), ctx.out(), ctx.clock())
              .write(name, dir, image, setValues, runtime, remote, healthCheck);
      if (w.hasService()) {
        AtomicFiles.write(unitFile, w.unit());
      }
      if (!w.tmpfiles().isEmpty()) {
        AtomicFiles.write(tmpfilesFile, w.tmpfiles());
      }
      pulled.close(); // the deployment names the image: its refs are on disk before the deployment is live
      deployments.activate(name, 0);
      flipped = true;
      for (String f : w.hostFiles().keySet()) {
        ctx.out().notice(Notice.info("Created file " + f));
      }
      if (!w.hasService()) {
        if (remote.isEmpty()) {
          DeploymentWriter.remove(dir.resolve("rootfs"));
        }
        return;
      }
      ServiceManager services =
          new ServiceManager(ctx.edge().systemd(), ctx.edge().tmpfiles(), ctx.out(), ctx.layout());
      services.daemonReload();
      if (!w.tmpfiles().isEmpty()) {
        services.tmpfilesCreate(tmpfilesFile);
      }
      services.enable(name);
      services.reportSkipped();
    } catch (LifecycleException | IOException | RuntimeException e) {
      if (w != null) {
        new HostFiles(ctx.layout().root(), ctx.out()).remove(w.hostFiles());
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
      ctx.out().notice(
          Notice.warning("Could not clean up after the failed install of " + name + ": " + e.getMessage()));
    }
  }

  /**
   * With no {@code NAME} symlink, a deployment directory is the leftover of an interrupted install and goes. A unit
   * or tmpfiles conf that is byte for byte the copy in that leftover is ours too and goes with it; any other file
   * there is the administrator's, and atomic's message stops the install.
   */
  private void clearLeftovers(String name, Path dir) throws LifecycleException {
    Path[][] pairs = {
      {ctx.layout().unitFile(name), dir.resolve(name + ".service")},
      {ctx.layout().tmpfilesFile(name), dir.resolve("tmpfiles-" + name + ".conf")}
    };
    try {
      for (Path[] p : pairs) {
        if (Files.exists(p[0])) {
          if (Files.isRegularFile(p[1]) && Files.mismatch(p[0], p[1]) == -1) {
            Files.delete(p[0]);
          } else {
            throw new LifecycleException("The file " + ctx.layout().inRoot(p[0]) + " already exists.");
          }
        }
      }
      if (DeploymentWriter.exists(dir)) {
        DeploymentWriter.removeLeftover(dir, new HostFiles(ctx.layout().root(), ctx.out()), Map.of());
      }
    } catch (IOException e) {
      throw new LifecycleException("Tried to clear the leftovers of an earlier install of " + name + ": " + e, e);
    }
  }

  private RuntimeFeatures probeRuntime(InstallRequest req) throws LifecycleException {
    String runtime =
        req.runtime()
            .or(() -> ctx.layout().rootMode() ? confRuntime() : java.util.Optional.empty())
            .orElseGet(() -> RuntimeProbe.defaultRuntime(ctx.env().get("RUNC_PATH")));
    return RuntimeProbe.probe(ctx.edge().runner(), runtime, !ctx.layout().alternateRoot());
  }

  private java.util.Optional<String> confRuntime() {
    try {
      Path conf = ctx.env().get("ATOMIC_CONF").map(Path::of).orElse(ctx.layout().root().resolve("etc/atomic.conf"));
      return AtomicConf.read(conf).get("runtime");
    } catch (LifecycleException e) {
      return java.util.Optional.empty();
    }
  }

  private ImageStore openStore() throws LifecycleException {
    return Stores.open(ctx.layout(), ctx.clock());
  }
}
