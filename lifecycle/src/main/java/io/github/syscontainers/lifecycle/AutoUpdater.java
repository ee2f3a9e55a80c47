package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.unitgen.ExportsDir;
import io.github.syscontainers.unitgen.ExportsManifest;
import io.github.syscontainers.unitgen.HealthCheck;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auto-update}: every installed container with an auto-update policy ({@link AutoUpdatePolicy}) is checked
 * (a {@code HEAD} of its tag's manifest, or the store for {@code local}), and when its image moved: pulled (partially
 * where the layers allow), deployed in the other slot, restarted, and kept only if it is healthy ({@link HealthGate});
 * otherwise rolled back to the previous deployment, which is restarted and checked in turn. Each step is written down
 * before it is taken ({@link UpdateJournal}); a run that finds a step of an interrupted one finishes or undoes it first.
 * A digest that was rolled back is not tried again until the tag moves on.
 */
public final class AutoUpdater {
  private static final Logger LOG = LoggerFactory.getLogger(AutoUpdater.class);

  /** What was asked: {@code --dry-run}, {@code --parallel N}, {@code --settle}, where images come from. */
  public record Options(boolean dryRun, int parallel, Duration settle, SourceOptions source, Platform platform) {}

  /** How one container's auto-update ended. */
  public enum Status {
    /** Its image has not moved. */
    UP_TO_DATE("up to date"),
    /** {@code --dry-run}: it would be updated. */
    PENDING("pending"),
    /** Updated, and healthy on the new image (or not running, so not started). */
    UPDATED("updated"),
    /** The new image failed; the previous deployment serves again. */
    ROLLED_BACK("rolled back"),
    /** The new digest is one a rollback refused before: not tried again. */
    SKIPPED("skipped"),
    /** Checking, fetching or deploying failed; or the rollback did not bring a healthy service back. */
    FAILED("failed");

    private final String word;

    Status(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /**
   * One container's outcome.
   *
   * @param from the image id it ran before
   * @param to the image id it was moved to (or would be, or was rolled back from); empty when nothing moved
   * @param detail what was seen, in words: the health verdicts, the error
   * @param timings milliseconds each step took, in order ({@code fetch}, {@code deploy}, {@code health},
   *     {@code rollback}), and {@code total} from the new digest seen to the end
   */
  public record Result(
      String container, String image, String policy, String from, Optional<String> to, Status status, String detail,
      Map<String, Long> timings) {
    public Result {
      timings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }
  }

  private final LifecycleContext ctx;
  /** How long a (re)started unit must stay active, not restarted, to count as healthy: the run's {@code --settle}. */
  private volatile Duration settle = Duration.ofSeconds(3);

  public AutoUpdater(LifecycleContext context) {
    this.ctx = context;
  }

  /** Runs over every container with a policy, {@code options.parallel()} at a time; results in name order. */
  public List<Result> run(Options options) throws LifecycleException {
    settle = options.settle();
    List<ContainerRecord> all = new Containers(ctx.layout(), ctx.edge()).list();
    List<String> names = new ArrayList<>();
    UpdateJournal journal = new UpdateJournal(ctx.layout().checkoutDir());
    List<Result> results = new ArrayList<>();
    for (ContainerRecord c : all) {
      try {
        if (c.autoUpdate().isEmpty() && journal.read(c.name()).isEmpty()) {
          continue;
        }
        InstalledContainer.load(ctx.layout(), c.name()); // refuses one installed into another root
        names.add(c.name());
      } catch (LifecycleException e) {
        // one container that cannot be read (another root's, a damaged record) does not stop the others
        results.add(new Result(c.name(), c.image(), c.autoUpdate(), c.imageId(), Optional.empty(), Status.FAILED,
            e.getMessage(), Map.of()));
      }
    }
    if (names.isEmpty()) {
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(options.parallel(), names.size())));
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (String name : names) {
        futures.add(pool.submit(() -> one(name, options)));
      }
      for (Future<Result> f : futures) {
        results.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifecycleException("Interrupted while updating containers", e);
    } catch (ExecutionException e) {
      throw new LifecycleException("auto-update failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    results.sort(java.util.Comparator.comparing(Result::container));
    return results;
  }

  /** One container, under its lock; any failure becomes its result. */
  private Result one(String name, Options options) {
    InfoLine line = new InfoLine(name, "", "", "", new StepTimer());
    try (ContainerLock lock = ContainerLock.acquire(ctx.layout().checkoutDir(), name)) {
      InstalledContainer current = InstalledContainer.load(ctx.layout(), name);
      line = new InfoLine(name, current.info().image(), current.info().autoUpdate().orElse(""),
          current.info().revision(), line.timer());
      UpdateJournal journal = new UpdateJournal(ctx.layout().checkoutDir());
      Optional<UpdateJournal.Entry> interrupted = journal.read(name);
      if (interrupted.isPresent()) {
        if (options.dryRun()) {
          return line.result(Optional.of(interrupted.get().to()), Status.PENDING,
              "an interrupted update (at " + interrupted.get().step().word() + ") would be finished or undone");
        }
        Optional<Result> ended = recover(interrupted.get(), line, journal);
        if (ended.isPresent()) {
          return ended.get();
        }
        current = InstalledContainer.load(ctx.layout(), name);
      }
      if (current.info().autoUpdate().isEmpty()) {
        return line.result(Optional.empty(), Status.UP_TO_DATE, "no auto-update policy");
      }
      return update(current, AutoUpdatePolicy.parse(current.info().autoUpdate().get()), options, journal, line);
    } catch (LifecycleException | RuntimeException e) {
      LOG.debug("auto-update of {} failed", name, e);
      return line.result(Optional.empty(), Status.FAILED, e.getMessage());
    }
  }

  /** The fields every result of one container shares. */
  private record InfoLine(String name, String image, String policy, String from, StepTimer timer) {
    Result result(Optional<String> to, Status status, String detail) {
      return new Result(name, image, policy, from, to, status, detail, timer.marks());
    }
  }

  /** How long each step of one container's update took, from the moment a new digest was seen. */
  private static final class StepTimer {
    private final Map<String, Long> marks = new LinkedHashMap<>();
    private long start;
    private long last;

    void start() {
      start = System.nanoTime();
      last = start;
    }

    void mark(String step) {
      if (start == 0) {
        start();
      }
      long now = System.nanoTime();
      marks.merge(step, (now - last) / 1_000_000, Long::sum);
      last = now;
    }

    Map<String, Long> marks() {
      Map<String, Long> all = new LinkedHashMap<>(marks);
      if (start != 0) {
        all.put("total", (last - start) / 1_000_000);
      }
      return all;
    }
  }

  private Result update(
      InstalledContainer current, AutoUpdatePolicy policy, Options options, UpdateJournal journal, InfoLine line)
      throws LifecycleException {
    String name = current.name();
    String image = current.info().image();
    ImageStore store = Stores.open(ctx.layout(), ctx.clock());
    // 1. check: has the image moved?
    Optional<String> seen = check(policy, image, store, options);
    if (seen.isPresent() && seen.get().equals(current.info().revision())) {
      return line.result(Optional.empty(), Status.UP_TO_DATE, "");
    }
    Optional<String> rejected = journal.rejected(name);
    if (seen.isPresent() && rejected.isPresent() && rejected.get().equals(seen.get())) {
      return line.result(seen, Status.SKIPPED,
          "sha256:" + seen.get() + " was rolled back before; waiting for a newer image");
    }
    if (options.dryRun()) {
      return line.result(seen, Status.PENDING, seen.isEmpty() ? "the registry did not say its digest" : "");
    }
    line.timer().start();
    // 2. fetch: nothing on the host changes yet
    ServiceManager services = new ServiceManager(ctx.edge().systemd(), ctx.edge().tmpfiles(), ctx.out(), ctx.layout());
    boolean wasActive = current.info().hasContainerService() && services.isActive(name);
    UpdateJournal.Entry entry =
        new UpdateJournal.Entry(name, UpdateJournal.Step.FETCHING, current.slot(), current.info().revision(),
            seen.orElse(""), wasActive, ctx.clock().instant().getEpochSecond());
    journal.write(entry);
    StoredImage next;
    try {
      next = policy == AutoUpdatePolicy.REGISTRY
          ? new ImageResolver(store).pull(image, options.source(), options.platform())
          : store.findImage(image).orElseThrow(() -> new LifecycleException("Image " + image + " not found"));
    } catch (LifecycleException | ObjectStoreException | RuntimeException e) {
      journal.clear(name);
      throw new LifecycleException("Could not fetch " + image + ": " + e.getMessage()
          + "; nothing was changed, the running deployment stays", e);
    }
    line.timer().mark("fetch");
    if (next.imageId().equals(current.info().revision())) {
      journal.clear(name);
      return line.result(Optional.empty(), Status.UP_TO_DATE, "");
    }
    if (rejected.isPresent() && rejected.get().equals(next.imageId())) {
      journal.clear(name);
      return line.result(Optional.of(next.imageId()), Status.SKIPPED,
          "sha256:" + next.imageId() + " was rolled back before; waiting for a newer image");
    }
    CrashPoint.reach(ctx.env(), "fetched");
    // 3. deploy: the other slot written, the service stopped, switched, started
    entry = new UpdateJournal.Entry(name, UpdateJournal.Step.DEPLOYING, current.slot(), current.info().revision(),
        next.imageId(), wasActive, entry.started());
    journal.write(entry);
    ctx.out().notice(Notice.info("Updating " + name + " from " + image + " sha256:" + current.info().revision()
        + " to sha256:" + next.imageId()));
    try {
      new Updater(ctx).deployLocked(current, next, () -> CrashPoint.reach(ctx.env(), "deploying"));
    } catch (LifecycleException e) {
      // a failure before the switch: the updater put the running deployment back
      InstalledContainer now = InstalledContainer.load(ctx.layout(), name);
      if (now.slot() == current.slot()) {
        journal.clear(name);
        throw new LifecycleException("Could not deploy sha256:" + next.imageId() + ": " + e.getMessage()
            + "; the previous deployment stays", e);
      }
      ctx.out().notice(Notice.warning("Could not start " + name + " on the new image: " + e.getMessage()));
    }
    line.timer().mark("deploy");
    CrashPoint.reach(ctx.env(), "switched");
    entry = entry.at(UpdateJournal.Step.CHECKING);
    journal.write(entry);
    return checkAndKeep(entry, line, journal);
  }

  /** Step 4: the new deployment is kept when healthy, else rolled back. */
  private Result checkAndKeep(UpdateJournal.Entry entry, InfoLine line, UpdateJournal journal)
      throws LifecycleException {
    String name = entry.name();
    if (!entry.wasActive()) {
      journal.clear(name);
      ctx.out().notice(Notice.info(name + " now runs sha256:" + entry.to() + "; the service was not running, so it"
          + " was not started or checked"));
      return line.result(Optional.of(entry.to()), Status.UPDATED, "the service was not running: not started");
    }
    HealthGate.Verdict fresh = gate(name);
    line.timer().mark("health");
    if (fresh.healthy()) {
      journal.clear(name);
      journal.forgetRejected(name);
      ctx.out().notice(Notice.info(name + " updated from sha256:" + entry.from() + " to sha256:" + entry.to()
          + ": healthy after " + HealthGate.seconds(fresh.took())));
      return line.result(Optional.of(entry.to()), Status.UPDATED, fresh.why());
    }
    ctx.out().notice(Notice.warning(name + " is not healthy on sha256:" + entry.to() + ": " + fresh.why()
        + "; rolling back to sha256:" + entry.from()));
    UpdateJournal.Entry back = entry.at(UpdateJournal.Step.ROLLING_BACK);
    journal.write(back);
    return rollBack(back, line, journal, fresh.why());
  }

  /** Step 5: back to the previous deployment, restarted and checked. */
  private Result rollBack(UpdateJournal.Entry entry, InfoLine line, UpdateJournal journal, String why)
      throws LifecycleException {
    String name = entry.name();
    journal.reject(name, entry.to());
    InstalledContainer now = InstalledContainer.load(ctx.layout(), name);
    // a failing service may be in systemd's restart loop, or past its start limit: stopped and reset first; and a
    // runtime container of the name that a failed start left behind would make the previous version's start fail
    new ServiceManager(ctx.edge().systemd(), ctx.edge().tmpfiles(), ctx.out(), ctx.layout()).stopAndReset(name);
    if (ctx.layout().rootMode() && ctx.edge().systemd().isRunning()) {
      try {
        ctx.edge().runner().run(List.of(now.info().runtime(), "delete", "--force", name));
      } catch (IOException e) {
        LOG.debug("could not delete the runtime container {}", name, e);
      }
    }
    if (now.slot() != entry.fromSlot()) {
      new Rollback(ctx.layout(), ctx.edge(), ctx.out()).rollback(name, () -> CrashPoint.reach(ctx.env(),
          "rolling-back"));
    }
    if (entry.wasActive() && !ctx.edge().systemd().isActive(name)) {
      // a rollback interrupted after its switch, or one that found the service stopped by the interruption
      startAgain(InstalledContainer.load(ctx.layout(), name), true);
    }
    HealthGate.Verdict old = gate(name);
    line.timer().mark("rollback");
    journal.clear(name);
    String detail = "new: " + why + "; previous: " + old.why();
    if (!old.healthy()) {
      ctx.out().notice(Notice.warning(name + " rolled back to sha256:" + entry.from() + " but it is not healthy"
          + " either: " + old.why()));
      return line.result(Optional.of(entry.to()), Status.FAILED, detail);
    }
    ctx.out().notice(Notice.warning(name + " rolled back from sha256:" + entry.to() + " to sha256:" + entry.from()
        + ": healthy again after " + HealthGate.seconds(old.took())));
    return line.result(Optional.of(entry.to()), Status.ROLLED_BACK, detail);
  }

  /**
   * Finishes or undoes what a killed run left, from the step it recorded. Empty when nothing had switched (or the
   * switch was undone and the service is healthy again): the update is then tried again in this run.
   */
  private Optional<Result> recover(UpdateJournal.Entry entry, InfoLine line, UpdateJournal journal)
      throws LifecycleException {
    String name = entry.name();
    InstalledContainer now = InstalledContainer.load(ctx.layout(), name);
    ctx.out().notice(Notice.info("Found an interrupted auto-update of " + name + " at the step "
        + entry.step().word() + " (sha256:" + entry.from() + " to " + (entry.to().isEmpty() ? "a new image"
        : "sha256:" + entry.to()) + ")"));
    switch (entry.step()) {
      case FETCHING:
        journal.clear(name);
        ctx.out().notice(Notice.info("It had changed nothing on the host; checking again"));
        return Optional.empty();
      case DEPLOYING:
        if (now.slot() == entry.fromSlot()) {
          // not switched: the half-written deployment goes, the running one is put back as it was
          Path other = new Deployments(ctx.layout().checkoutDir()).deployment(name, 1 - now.slot());
          DeploymentWriter.removeLeftover(other, new HostFiles(ctx.layout().root(), ctx.out()),
              now.info().installedFilesChecksum());
          reinstate(now);
          startAgain(now, entry.wasActive());
          if (entry.wasActive()) {
            HealthGate.Verdict v = gate(name);
            if (!v.healthy()) {
              journal.clear(name);
              return Optional.of(line.result(Optional.of(entry.to()), Status.FAILED,
                  "an interrupted deploy was undone, but the previous deployment is not healthy: " + v.why()));
            }
          }
          journal.clear(name);
          ctx.out().notice(Notice.info("The interrupted deploy was undone; " + name + " runs sha256:"
              + entry.from() + " again; updating again"));
          return Optional.empty();
        }
        return Optional.of(finishSwitched(entry.at(UpdateJournal.Step.CHECKING), now, line, journal));
      case CHECKING:
        return Optional.of(finishSwitched(entry, now, line, journal));
      case ROLLING_BACK:
      default:
        if (now.slot() == entry.fromSlot()) {
          reinstate(now);
        }
        return Optional.of(rollBack(entry, line, journal,
            "found unhealthy by the run that was interrupted while rolling back"));
    }
  }

  private Result finishSwitched(
      UpdateJournal.Entry entry, InstalledContainer now, InfoLine line, UpdateJournal journal)
      throws LifecycleException {
    journal.write(entry);
    startAgain(now, entry.wasActive());
    return checkAndKeep(entry, line, journal);
  }

  /** Writes the unit, tmpfiles conf and host files of the active deployment again, as an update had removed them. */
  private void reinstate(InstalledContainer c) throws LifecycleException {
    Path unitFile = ctx.layout().unitFile(c.name());
    Path tmpfilesFile = ctx.layout().tmpfilesFile(c.name());
    Path unit = c.deployment().resolve(c.name() + ".service");
    Path tmpfiles = c.deployment().resolve("tmpfiles-" + c.name() + ".conf");
    try {
      if (Files.isRegularFile(unit)) {
        AtomicFiles.write(unitFile, Files.readString(unit));
      }
      if (Files.isRegularFile(tmpfiles)) {
        AtomicFiles.write(tmpfilesFile, Files.readString(tmpfiles));
      } else {
        Files.deleteIfExists(tmpfilesFile);
      }
    } catch (IOException e) {
      throw new LifecycleException("Tried to put back the unit of " + c.name() + " but failed: " + e.getMessage(), e);
    }
    new HostFiles(ctx.layout().root(), ctx.out())
        .install(c.deployment().resolve("rootfs/exports/hostfs"), c.info().renameInstalledFiles(),
            c.info().installedFilesTemplate(), c.info().values());
  }

  /** daemon-reload, tmpfiles, start: each does nothing more when done already. */
  private void startAgain(InstalledContainer c, boolean wasActive) throws LifecycleException {
    ServiceManager services = new ServiceManager(ctx.edge().systemd(), ctx.edge().tmpfiles(), ctx.out(), ctx.layout());
    services.daemonReload();
    Path tmpfilesFile = ctx.layout().tmpfilesFile(c.name());
    if (Files.exists(tmpfilesFile)) {
      services.tmpfilesCreate(tmpfilesFile);
    }
    if (wasActive && c.info().hasContainerService()) {
      services.start(c.name());
    }
    services.reportSkipped();
  }

  /** Waits for the active deployment's service to be healthy, with its health check. */
  private HealthGate.Verdict gate(String name) throws LifecycleException {
    InstalledContainer c = InstalledContainer.load(ctx.layout(), name);
    Optional<HealthCheck> check = c.info().healthCheck().or(() -> manifestCheck(c));
    CrashPoint.reach(ctx.env(), "health-wait");
    try {
      return new HealthGate(ctx.edge().systemd(), ctx.edge().runner(), settle)
          .await(name, check, List.of(c.info().runtime(), "exec", name));
    } catch (java.io.InterruptedIOException e) {
      throw new LifecycleException("Interrupted while waiting for " + name + " to be healthy", e);
    }
  }


  private Optional<HealthCheck> manifestCheck(InstalledContainer c) {
    try {
      ExportsDir exports = new ExportsDir(c.deployment().resolve("rootfs/exports"));
      Optional<String> text = exports.read("manifest.json");
      return text.isEmpty() ? Optional.empty() : ExportsManifest.parse(text.get(), c.info().image()).healthCheck();
    } catch (UnitGenException e) {
      ctx.out().notice(Notice.warning("The health check of " + c.name() + "'s image cannot be read: "
          + e.getMessage() + "; only the unit's state is checked"));
      return Optional.empty();
    }
  }

  /** The image id the policy finds now, without fetching a blob; empty when the registry cannot say cheaply. */
  private Optional<String> check(AutoUpdatePolicy policy, String image, ImageStore store, Options options)
      throws LifecycleException {
    try {
      if (policy == AutoUpdatePolicy.LOCAL) {
        return store.findImage(image).map(StoredImage::imageId);
      }
      try (ImageSource source = ImageSource.open(SourceReference.parse(image), options.source())) {
        return source.peekDigest().map(Digest::hex);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new LifecycleException("Could not check " + image + " for a new image: " + e.getMessage()
          + "; nothing was changed", e);
    }
  }
}
