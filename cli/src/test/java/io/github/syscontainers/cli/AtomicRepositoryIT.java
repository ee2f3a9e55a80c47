package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repositories that other tools wrote, and the maintenance verbs: a repository laid out as atomic (skopeo's
 * {@code ostree:} transport) laid it out, built here with the real ostree CLI, zero parents included, lists and
 * installs; fsck finds an object changed through a hard-linked checkout and repair restores a healthy store.
 */
class AtomicRepositoryIT {
  @TempDir Path tmp;

  private static String ostree() {
    return Peers.require("ostree").toString();
  }

  private static void ok(Exec.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  /** Writes the sample into a repository the way skopeo's ostree transport did, using only the ostree CLI. */
  private Path atomicLayoutRepo(TestImage image, String name) throws Exception {
    Path repo = tmp.resolve("atomic-repo");
    String zero = "0".repeat(64);
    ok(Exec.run(List.of(ostree(), "init", "--repo=" + repo, "--mode=bare")));
    for (TestImage.Blob layer : image.layers()) {
      Path tar = tmp.resolve("layer.tar");
      try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(layer.data()))) {
        Files.write(tar, in.readAllBytes());
      }
      ok(Exec.run(List.of(ostree(), "commit", "--repo=" + repo, "-b", "ociimage/" + layer.digest().substring(7),
          "--parent=" + zero, "--tar-autocreate-parents", "--tree=tar=" + tar,
          "--add-metadata-string=docker.size=" + layer.data().length,
          "--add-metadata-string=docker.uncompressed_size=" + Files.size(tar),
          "--add-metadata-string=docker.uncompressed_digest=" + LayerBuilder.sha256(Files.readAllBytes(tar)))));
    }
    Path cfg = Files.createDirectories(tmp.resolve("cfg"));
    Files.write(cfg.resolve("content"), image.config().data());
    ok(Exec.run(List.of(ostree(), "commit", "--repo=" + repo, "-b", "ociimage/" + image.config().digest().substring(7),
        "--parent=" + zero, "--tree=dir=" + cfg, "--add-metadata-string=docker.size=" + image.config().data().length)));
    Path img = Files.createDirectories(tmp.resolve("img"));
    Files.write(img.resolve("manifest.json"), image.manifest().data());
    String manifest = new String(image.manifest().data(), StandardCharsets.UTF_8);
    ok(Exec.run(List.of(ostree(), "commit", "--repo=" + repo, "-b", "ociimage/" + name, "--parent=" + zero,
        "--tree=dir=" + img, "--add-metadata-string=docker.manifest=" + manifest,
        "--add-metadata-string=docker.digest=" + image.manifest().digest(), "--add-metadata-string=signatures=0")));
    return repo;
  }

  @Test
  void readsAnAtomicEraRepositoryAndRepairsCorruption() throws Exception {
    Peers.requireRoot();
    TestImage sample = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    Path repo = atomicLayoutRepo(sample, "hello_3Alatest");
    Path root = tmp.resolve("root");
    Map<String, String> env = Map.of("ATOMIC_OSTREE_REPO", repo.toString());

    Exec.Result list = Launcher.run(env, "images", "list", "--root", root.toString());
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.stdout()).contains("hello").contains("latest").contains(sample.manifest().digest().substring(7, 19));

    Exec.Result install = Launcher.run(env, "install", "--system", "--name", "old", "--root", root.toString(), "hello");
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(Launcher.run(env, "verify", "--root", root.toString(), "old").stdout())
        .contains("Container old: all files match the repository");
    Path deployment = root.resolve("var/lib/containers/atomic/old.0");
    assertThat(deployment.resolve("rootfs/hello/hello.sh")).exists();
    assertThat(Launcher.run(env, "images", "list", "--root", root.toString()).stdout()).contains(">  hello");
    assertThat(Launcher.run(env, "containers", "list", "-a", "--root", root.toString()).stdout()).contains("old");

    Exec.Result tag = Launcher.run(env, "images", "tag", "--root", root.toString(), "hello:latest", "hello:copy");
    assertThat(tag.exitCode()).as(tag.output()).isZero();
    assertThat(Launcher.run(env, "images", "list", "--root", root.toString()).stdout()).contains("copy");
    assertThat(Launcher.run(env, "images", "delete", "-y", "--root", root.toString(), "hello:copy").exitCode()).isZero();
    Exec.Result prune = Launcher.run(env, "images", "prune", "--root", root.toString());
    assertThat(prune.exitCode()).as(prune.output()).isZero();
    assertThat(Launcher.run(env, "fsck", "--root", root.toString()).stdout()).contains("no errors found");

    // an in-place write into the hard-linked checkout changes the shared object: fsck names it, repair clears it
    Path script = deployment.resolve("rootfs/hello/hello.sh");
    assertThat((Integer) Files.getAttribute(script, "unix:nlink")).isGreaterThan(1);
    Files.writeString(script, "echo tampered\n", StandardOpenOption.APPEND);
    Exec.Result verify = Launcher.run(env, "verify", "--root", root.toString(), "old");
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.stderr()).contains("Modified: /hello/hello.sh (object ");
    Exec.Result bad = Launcher.run(env, "fsck", "--root", root.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr()).contains("Corrupted or missing object").contains("ociimage/" + sample.layers().get(0).digest().substring(7));
    assertThat(Launcher.lines(bad.stderr()).get(Launcher.lines(bad.stderr()).size() - 1)).contains("fsck --repair");
    Exec.Result repair = Launcher.run(env, "fsck", "--repair", "--root", root.toString());
    assertThat(repair.exitCode()).as(repair.output()).isZero();
    assertThat(Launcher.run(env, "fsck", "--root", root.toString()).stdout()).contains("no errors found");
    ok(Exec.run(List.of(ostree(), "fsck", "--repo=" + repo)));
  }

  @Test
  void aSecondImageSharingTheBaseAddsOnlyItsOwnObjects() throws Exception {
    Path repo = tmp.resolve("repo");
    LayerBuilder base = LayerBuilder.layer();
    for (int i = 0; i < 200; i++) {
      base.file("usr/lib/f" + i, "shared " + i + "\n", 0644);
    }
    TestImage first = TestImage.builder().layer(base).layer(LayerBuilder.layer().file("app/a", "a\n", 0755)).build();
    TestImage second = TestImage.builder().layer(base).layer(LayerBuilder.layer().file("app/b", "b\n", 0755)).build();
    Path a = tmp.resolve("a.tar");
    Path b = tmp.resolve("b.tar");
    first.writeOciArchive(a, "1");
    second.writeOciArchive(b, "1");
    Map<String, String> env = Map.of("ATOMIC_OSTREE_REPO", repo.toString());
    Path root = tmp.resolve("root");
    assertThat(Launcher.run(env, "pull", "--root", root.toString(), "oci-archive:" + a).exitCode()).isZero();
    long before = objects(repo);
    assertThat(Launcher.run(env, "pull", "--root", root.toString(), "oci-archive:" + b).exitCode()).isZero();
    long added = objects(repo) - before;
    // app/b's content, its dirtree (and /app's), the layer commit, the config file and commit, manifest file,
    // the image commit and its root dirtree: a handful, none of the 200 shared files
    assertThat(added).isBetween(4L, 14L);
  }

  private static long objects(Path repo) throws Exception {
    List<Path> out = new ArrayList<>();
    try (var s = Files.walk(repo.resolve("objects"))) {
      s.filter(Files::isRegularFile).forEach(out::add);
    }
    return out.size();
  }
}
