package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImagePath;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsck, repair and prune checked by the real ostree; concurrent imports; imports killed with SIGKILL. */
class MaintenanceIT {
  @TempDir Path tmp;

  static void store(ImageStore store, String name, TestImage img) throws Exception {
    for (TestImage.Blob l : img.layers()) {
      Descriptor d = Descriptor.of(l.mediaType(), Digest.parse(l.digest()), l.data().length);
      store.importLayer(d, new ByteArrayInputStream(l.data()), Optional.empty(), ImportLimits.DEFAULT);
    }
    store.storeConfig(Digest.parse(img.config().digest()), img.config().data());
    store.storeImage(name, img.manifest().data(), Digest.parse(img.manifest().digest()));
  }

  static Exec.Result ostreeFsck(Path repo) throws Exception {
    return Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo));
  }

  static long objectCount(Path repo) throws Exception {
    try (Stream<Path> s = Files.walk(repo.resolve("objects"))) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void fsckNamesACorruptObjectAndRepairRestoresAHealthyRepository() throws Exception {
    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    ImageStore store = new ImageStore(repo, Clock.systemUTC());
    TestImage img =
        TestImage.builder()
            .layer(LayerBuilder.layer().file("etc/motd", "hello\n", 0644))
            .layer(LayerBuilder.layer().file("usr/bin/tool", "tool\n", 0755))
            .build();
    store(store, "img:1", img);
    assertThat(new RepositoryChecker(repo).check().problems()).isEmpty();
    assertThat(ostreeFsck(repo.path()).output()).contains("no errors found");

    // an in-place edit of a hard-linked checkout changes the object behind it
    Digest motdLayer = Digest.parse(img.layers().get(0).digest());
    ObjectId root = repo.readCommit(store.layerCommit(motdLayer)).rootTree();
    ObjectId motd = Trees.lookupFile(repo, root, ImagePath.of("etc/motd")).orElseThrow();
    Path object = repo.objectPath(motd, ObjectType.FILE);
    Files.setAttribute(object, "unix:mode", 0644);
    Files.writeString(object, "tampered\n", StandardOpenOption.APPEND);

    RepositoryChecker.Report report = new RepositoryChecker(repo).check();
    assertThat(report.problems())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.object()).isEqualTo(motd);
          assertThat(p.ref()).isEqualTo(ImageStore.blobRef(motdLayer));
          assertThat(p.describe()).contains("checksum expected " + motd);
        });
    assertThat(ostreeFsck(repo.path()).exitCode()).isNotZero();

    RepositoryChecker.Report repaired = new RepositoryChecker(repo).repair();
    assertThat(repaired.removedRefs()).containsExactly(ImageStore.blobRef(motdLayer));
    assertThat(new RepositoryChecker(repo).check().problems()).isEmpty();
    Exec.Result after = ostreeFsck(repo.path());
    assertThat(after.exitCode()).as(after.output()).isZero();
    assertThat(store.hasLayer(motdLayer)).isFalse();
    assertThat(store.hasLayer(Digest.parse(img.layers().get(1).digest()))).isTrue();
  }

  @Test
  void pruneKeepsWhatLiveImagesNeedAndDropsTheRest() throws Exception {
    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    ImageStore store = new ImageStore(repo, Clock.systemUTC());
    TestImage keep = TestImage.builder().layer(LayerBuilder.layer().file("a", "keep\n", 0644)).label("l", "1").build();
    TestImage drop = TestImage.builder().layer(LayerBuilder.layer().file("b", "drop\n", 0644)).build();
    store(store, "keep:1", keep);
    store(store, "drop:1", drop);
    long before = objectCount(repo.path());
    Path partial = Files.createDirectories(repo.path().resolve("tmp/partial-blobs")).resolve("sha256-0a.partial");
    Files.write(partial, new byte[1000]);
    assertThat(store.deleteImage("drop:1")).isTrue();
    List<String> deleted = store.pruneRefs();
    assertThat(deleted)
        .containsExactlyInAnyOrder(
            ImageStore.blobRef(Digest.parse(drop.layers().get(0).digest())),
            ImageStore.blobRef(Digest.parse(drop.config().digest())));
    Pruner.Result r = new Pruner(repo).pruneUnreachable();
    assertThat(r.objectsDeleted()).isPositive();
    assertThat(objectCount(repo.path())).isEqualTo(before - r.objectsDeleted());
    assertThat(partial).as("what an interrupted pull kept goes too").doesNotExist();
    assertThat(r.bytesFreed()).isGreaterThanOrEqualTo(1000);
    // the live image keeps its config, so its labels survive (atomic lost them here)
    assertThat(store.readConfig(Digest.parse(keep.config().digest()))).isPresent();
    assertThat(store.findImage("keep:1")).isPresent();
    assertThat(ostreeFsck(repo.path()).output()).contains("no errors found");
  }

  /** Issue 27, item 4: an object that cannot be removed is reported with the reason; the others still go. */
  @Test
  void anObjectThatCannotBeRemovedIsReportedAndTheRestIsPruned() throws Exception {
    Peers.requireRoot();
    Path chattr = Peers.require("chattr");
    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    ImageStore store = new ImageStore(repo, Clock.systemUTC());
    TestImage drop =
        TestImage.builder()
            .layer(LayerBuilder.layer().file("a", "a\n", 0644).file("b", "b\n", 0644).file("c", "c\n", 0644))
            .build();
    store(store, "drop:1", drop);
    store.deleteImage("drop:1");
    store.pruneRefs();
    Path stuck;
    try (Stream<Path> s = Files.walk(repo.path().resolve("objects"))) {
      stuck = s.filter(p -> p.toString().endsWith(".file")).findFirst().orElseThrow();
    }
    assertThat(Exec.run(List.of(chattr.toString(), "+i", stuck.toString())).exitCode()).isZero();
    try {
      Pruner.Result r = new Pruner(repo).pruneUnreachable();
      assertThat(r.failures()).singleElement().asString().isEqualTo(stuck + ": Operation not permitted");
      assertThat(r.objectsDeleted()).isPositive();
      assertThat(objectCount(repo.path())).isEqualTo(1);
    } finally {
      Exec.run(List.of(chattr.toString(), "-i", stuck.toString()));
    }
    assertThat(new Pruner(repo).pruneUnreachable().failures()).isEmpty();
    assertThat(objectCount(repo.path())).isZero();
  }

  private Process importer(Path repo, Path layer) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), ImportMain.class.getName(), repo.toString(),
            "BARE_USER", layer.toString())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  private static Path bigLayer(Path dir, String name, int files, long seed) throws Exception {
    Random r = new Random(seed);
    LayerBuilder l = LayerBuilder.layer();
    for (int i = 0; i < files; i++) {
      byte[] data = new byte[r.nextInt(4096)];
      r.nextBytes(data);
      l.file("d" + (i % 50) + "/f" + i, data, 0644, 0, 0);
    }
    Path p = dir.resolve(name);
    Files.write(p, l.tarGz());
    return p;
  }

  @Test
  void twoProcessesImportingAtOnceBothSucceed() throws Exception {
    Path repo = tmp.resolve("repo");
    OstreeRepository.openOrCreate(repo, RepoMode.BARE_USER);
    Path a = bigLayer(tmp, "a.tar.gz", 1500, 1);
    Path b = bigLayer(tmp, "b.tar.gz", 1500, 2);
    Process pa = importer(repo, a);
    Process pb = importer(repo, b);
    assertThat(pa.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(pb.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(pa.exitValue()).isZero();
    assertThat(pb.exitValue()).isZero();
    OstreeRepository r = OstreeRepository.open(repo);
    ImageStore store = new ImageStore(r, Clock.systemUTC());
    assertThat(store.hasLayer(Digest.sha256Of(Files.readAllBytes(a)))).isTrue();
    assertThat(store.hasLayer(Digest.sha256Of(Files.readAllBytes(b)))).isTrue();
    assertThat(ostreeFsck(repo).output()).contains("no errors found");
  }

  @Test
  void importsKilledAtRandomPointsLeaveAHealthyRepositoryAndCompleteOnRetry() throws Exception {
    Path layer = bigLayer(tmp, "big.tar.gz", 3000, 42);
    Digest digest = Digest.sha256Of(Files.readAllBytes(layer));
    List<Long> seeds = List.of(1L, 2L, 3L, 4L, 5L);
    List<String> outcomes = new ArrayList<>();
    for (long seed : seeds) {
      Path repo = tmp.resolve("repo-" + seed);
      OstreeRepository.openOrCreate(repo, RepoMode.BARE_USER);
      Process p = importer(repo, layer);
      long delay = 200 + new Random(seed).nextInt(1500);
      boolean finished = p.waitFor(delay, TimeUnit.MILLISECONDS);
      if (!finished) {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      outcomes.add("seed " + seed + ": killed after " + delay + " ms: " + !finished);
      Exec.Result fsck = ostreeFsck(repo);
      assertThat(fsck.exitCode()).as("seed " + seed + ": " + fsck.output()).isZero();
      Process retry = importer(repo, layer);
      assertThat(retry.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(retry.exitValue()).as("seed " + seed).isZero();
      assertThat(new ImageStore(OstreeRepository.open(repo), Clock.systemUTC()).hasLayer(digest)).isTrue();
      assertThat(new RepositoryChecker(OstreeRepository.open(repo)).check().problems()).isEmpty();
      assertThat(ostreeFsck(repo).output()).contains("no errors found");
    }
    assertThat(outcomes).anyMatch(o -> o.endsWith("true"));
  }
}
