package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.CheckoutException;
import io.github.syscontainers.checkout.CheckoutMode;
import io.github.syscontainers.checkout.LinkProbe;
import io.github.syscontainers.checkout.UnionCheckout;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.ImageConfig;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.unitgen.ConfigJson;
import io.github.syscontainers.unitgen.ExportsDir;
import io.github.syscontainers.unitgen.ExportsManifest;
import io.github.syscontainers.unitgen.HealthCheck;
import io.github.syscontainers.unitgen.HostContext;
import io.github.syscontainers.unitgen.InfoFile;
import io.github.syscontainers.unitgen.ProcessDefaults;
import io.github.syscontainers.unitgen.RuntimeFeatures;
import io.github.syscontainers.unitgen.TemplateSubstitutor;
import io.github.syscontainers.unitgen.TemplateValues;
import io.github.syscontainers.unitgen.TmpfilesRenderer;
import io.github.syscontainers.unitgen.UnitGenException;
import io.github.syscontainers.unitgen.UnitRenderer;
import io.github.syscontainers.unitgen.UserNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes one deployment directory completely ({@code rootfs}, {@code config.json}, {@code info},
 * {@code NAME.service}, {@code tmpfiles-NAME.conf}) before anything outside it changes: the layers are checked out,
 * the exports templates filled, and the config checked.
 */
final class DeploymentWriter {
  private final ImageStore store;
  private final Layout layout;
  private final HostContext host;
  private final NoticeListener out;
  private final Clock clock;

  DeploymentWriter(ImageStore store, Layout layout, HostContext host, NoticeListener out, Clock clock) {
    this.store = store;
    this.layout = layout;
    this.host = host;
    this.out = out;
    this.clock = clock;
  }

  /** The generated texts of a deployment, ready to be installed on the host, and the host files it copied. */
  record Written(
      Path dir, boolean hasService, String unit, String tmpfiles, InfoFile info, Map<String, String> hostFiles) {}

  Written write(
      String name,
      Path dir,
      StoredImage image,
      Map<String, ?> startValues,
      RuntimeFeatures runtime,
      Optional<RemoteRootfs> remote,
      Optional<HealthCheck> healthCheck)
      throws LifecycleException {
    try {
      Optional<String> autoUpdate = AutoUpdatePolicy.of(startValues, labels(image));
      Path rootfs = dir.resolve("rootfs");
      if (remote.isPresent()) {
        Files.createDirectories(dir);
        Files.createSymbolicLink(rootfs, remote.get().rootfs());
      } else {
        checkout(image, rootfs);
      }
      ExportsDir exports = new ExportsDir(rootfs.resolve("exports"));
      if (!exports.exists()) {
        out.notice(Notice.info("Warning: /exports directory not found.  Default config files will be generated."));
        out.notice(
            Notice.info(
                "Warning: You may want to modify `" + layout.inRoot(dir) + "/config.json` before starting the service"));
      }
      ExportsManifest manifest =
          exports.read("manifest.json").isPresent()
              ? ExportsManifest.parse(exports.read("manifest.json").get(), image.name())
              : ExportsManifest.DEFAULT;
      String unitTemplate = UnitRenderer.template(exports);
      String destDir = layout.inRoot(dir);
      Map<String, Object> values =
          TemplateValues.amend(
              startValues,
              new TemplateValues.Inputs(name, destDir, image.name(), image.imageId(), manifest, runtime, unitTemplate),
              host,
              () -> UUID.randomUUID().toString());

      String config = ConfigJson.render(exports, values, processDefaults(image, rootfs));
      if (!layout.rootMode()) {
        config =
            UserNamespace.rewrite(
                config, host.uid(), host.userName(), lines(layout.root().resolve("etc/subuid")),
                lines(layout.root().resolve("etc/subgid")));
      }
      Path configFile = dir.resolve("config.json");
      AtomicFiles.write(configFile, config);
      if (remote.isPresent()) {
        config = ConfigJson.withRootPath(config, layout.inRoot(remote.get().rootfs()));
        AtomicFiles.write(configFile, config);
      }
      List<String> missing =
          ConfigJson.validate(
              config, layout.inRoot(configFile), remote.isPresent(), layout.root(),
              ConfigJson.suspects(exports, values));

      String tmpfiles = TmpfilesRenderer.render(exports, values, missing, host.uid(), host.gid());
      String unit = manifest.noContainerService() ? "" : UnitRenderer.render(exports, unitTemplate, values);
      Map<String, String> renames = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, String> r : manifest.renameFiles().entrySet()) {
        renames.put(r.getKey(), TemplateSubstitutor.substitute(r.getValue(), values, "manifest.json"));
      }
      // user mode installs nothing on the host (atomic's "absent")
      Map<String, String> hostFiles =
          layout.rootMode()
              ? new HostFiles(layout.root(), out)
                  .install(exports.path().resolve("hostfs"), renames, manifest.installedFilesTemplate(), values,
                      dir.resolve(HOST_FILES_JOURNAL))
              : Map.of();
      InfoFile info =
          new InfoFile(
              image.name(),
              image.imageId(),
              image.commit().hex(),
              clock.instant().getEpochSecond(),
              values,
              !manifest.noContainerService(),
              hostFiles,
              manifest.installedFilesTemplate(),
              renames,
              layout.rootMode() ? "no" : "absent",
              remote.map(RemoteRootfs::argument),
              manifest.useLinks(),
              runtime.path(),
              Optional.of(ContainerRoots.recorded(layout)),
              autoUpdate,
              healthCheck);
      try {
        AtomicFiles.write(dir.resolve("info"), info.toText());
      } catch (IOException e) {
        new HostFiles(layout.root(), out).remove(hostFiles);
        throw e;
      }
      if (!unit.isEmpty()) {
        AtomicFiles.write(dir.resolve(name + ".service"), unit);
      }
      if (!tmpfiles.isEmpty()) {
        AtomicFiles.write(dir.resolve("tmpfiles-" + name + ".conf"), tmpfiles);
      }
      return new Written(dir, !manifest.noContainerService(), unit, tmpfiles, info, hostFiles);
    } catch (UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException("Tried to write the deployment " + dir + " but failed: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a run-once container (§8.5) into {@code dir}: the checkout, {@code config.json} (the command and the
   * terminal set, not validated: its root may be writable) and {@code tmpfiles.conf}; no unit, no info, nothing on
   * the host.
   *
   * @return the tmpfiles conf written, if the image has a template
   */
  Optional<Path> writeRunOnce(
      String name, Path dir, StoredImage image, Map<String, ?> startValues, RuntimeFeatures runtime,
      List<String> args, boolean terminal)
      throws LifecycleException {
    try {
      Path rootfs = dir.resolve("rootfs");
      checkout(image, rootfs);
      ExportsDir exports = new ExportsDir(rootfs.resolve("exports"));
      ExportsManifest manifest =
          exports.read("manifest.json").isPresent()
              ? ExportsManifest.parse(exports.read("manifest.json").get(), image.name())
              : ExportsManifest.DEFAULT;
      String unitTemplate = UnitRenderer.template(exports);
      Map<String, Object> values =
          TemplateValues.amend(
              startValues,
              new TemplateValues.Inputs(
                  name, dir.toString(), image.name(), image.imageId(), manifest, runtime, unitTemplate),
              host,
              () -> UUID.randomUUID().toString());
      String config = ConfigJson.render(exports, values, processDefaults(image, rootfs));
      AtomicFiles.write(dir.resolve("config.json"), ConfigJson.forRun(config, Optional.empty(), args, terminal));
      String tmpfiles = TmpfilesRenderer.render(exports, values, List.of(), host.uid(), host.gid());
      if (tmpfiles.isEmpty()) {
        return Optional.empty();
      }
      Path conf = dir.resolve("tmpfiles.conf");
      AtomicFiles.write(conf, tmpfiles);
      return Optional.of(conf);
    } catch (UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException("Tried to prepare the run-once container " + name + " but failed: " + e, e);
    }
  }

  private void checkout(StoredImage image, Path rootfs) throws LifecycleException {
    try {
      List<ObjectId> commits = new ArrayList<>();
      for (Digest layer : image.layers()) {
        commits.add(store.layerCommit(layer));
      }
      if (image.layers().isEmpty()) {
        commits.add(image.commit());
      }
      CheckoutMode mode = layout.rootMode() ? CheckoutMode.NONE : CheckoutMode.USER;
      boolean links = LinkProbe.canHardLink(store.repository().path(), rootfs.getParent());
      UnionCheckout checkout = new UnionCheckout(store.repository(), mode, links);
      checkout.checkout(commits, rootfs);
      LinkedFilesRecord.write(rootfs.getParent(), checkout.linkedFiles());
    } catch (ObjectStoreException | CheckoutException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException("Tried to check out " + image.name() + " but failed: " + e.getMessage(), e);
    }
  }

  /** The image config's labels; none when the image has no config (or one that cannot be read). */
  private Map<String, String> labels(StoredImage image) throws IOException {
    if (image.config().isEmpty()) {
      return Map.of();
    }
    Optional<byte[]> bytes = store.readConfig(image.config().get());
    try {
      return bytes.isEmpty() ? Map.of() : ImageConfig.parse(bytes.get()).labels();
    } catch (RegistryException e) {
      return Map.of();
    }
  }

  private ProcessDefaults processDefaults(StoredImage image, Path rootfs) throws IOException {
    if (image.config().isEmpty()) {
      return ProcessDefaults.NONE;
    }
    Optional<byte[]> bytes = store.readConfig(image.config().get());
    if (bytes.isEmpty()) {
      return ProcessDefaults.NONE;
    }
    try {
      ImageConfig c = ImageConfig.parse(bytes.get());
      List<String> args = new ArrayList<>(c.entrypoint());
      args.addAll(c.cmd());
      ImageUser.Ids ids = ImageUser.resolve(c.user(), rootfs);
      return new ProcessDefaults(args, c.env(), c.workingDir(), ids.uid(), ids.gid());
    } catch (RegistryException e) {
      return ProcessDefaults.NONE;
    }
  }

  /**
   * Removes an unfinished or stale deployment directory, and the host files it recorded and still owns (see
   * {@link HostFiles#removeLeftovers}); {@code keep} are the current deployment's files.
   */
  static void removeLeftover(Path dir, HostFiles hostFiles, Map<String, String> keep) throws LifecycleException {
    Map<String, String> recorded = new java.util.LinkedHashMap<>();
    try {
      // what the copy noted before each file, then what the info file recorded once it was written
      recorded.putAll(HostFiles.journaled(dir.resolve(HOST_FILES_JOURNAL)));
      Path info = dir.resolve("info");
      if (Files.isRegularFile(info)) {
        recorded.putAll(InfoFile.parse(Files.readString(info), "").installedFilesChecksum());
      }
    } catch (IOException | UnitGenException e) {
      // an unreadable record names nothing we can trust; the directory still goes
    }
    hostFiles.removeLeftovers(recorded, keep);
    remove(dir);
  }

  /** Where the host-file copy notes each file before creating it, in the deployment directory. */
  static final String HOST_FILES_JOURNAL = "host-files.journal";

  /** Removes a deployment directory and everything in it. */
  static void remove(Path dir) throws LifecycleException {
    try {
      io.github.syscontainers.checkout.FileTrees.deleteRecursively(dir);
    } catch (IOException e) {
      throw new LifecycleException("Tried to remove " + dir + " but failed: " + e.getMessage(), e);
    }
  }

  private static List<String> lines(Path p) throws IOException {
    return Files.isRegularFile(p) ? Files.readAllLines(p) : List.of();
  }

  static boolean exists(Path p) {
    return Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
  }
}
