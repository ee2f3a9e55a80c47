package io.github.syscontainers.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TreeSnapshot;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ImportLimits;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our union checkout of layer commits equals {@code ostree checkout --union --whiteouts} of the same commits. */
class UnionCheckoutIT {
  static final List<LayerBuilder> LAYERS =
      List.of(
          LayerBuilder.layer()
              .dir("etc", 0755)
              .file("etc/keep.conf", "keep\n", 0644)
              .file("etc/old.conf", "old\n", 0644)
              .dir("var/cache/app", 0755)
              .file("var/cache/app/a", "a\n", 0644)
              .file("var/cache/top", "t\n", 0644)
              .dir("becomes-file", 0755)
              .file("becomes-file/inner", "x\n", 0644)
              .file("bin/tool", "#!/bin/sh\n", 0755)
              .file("bin/suid", "s\n".getBytes(), 04755, 0, 0)
              .file("owned", "o\n".getBytes(), 0640, 1000, 100)
              .symlink("bin/rel", "tool")
              .symlink("abs", "/etc/keep.conf")
              .hardlink("bin/tool-again", "bin/tool")
              .file("empty", new byte[0], 0644, 0, 0),
          LayerBuilder.layer()
              .whiteout("etc/old.conf")
              .opaque("var/cache")
              .file("var/cache/new", "n\n", 0644)
              .file("becomes-file", "f\n", 0644)
              .file("etc/keep.conf", "changed\n", 0600));

  /** Upper layers remove what lower ones made, re-add it, and empty directories, in every order. */
  static final List<LayerBuilder> REMOVALS =
      List.of(
          LayerBuilder.layer()
              .file("a/x", "x\n", 0644)
              .file("a/sub/y", "y\n", 0644)
              .file("doc/one", "1\n", 0644)
              .file("doc/deep/two", "2\n", 0644)
              .file("c/f", "f\n", 0644)
              .file("keep", "k\n", 0644)
              .file("gone-twice", "g\n", 0644),
          LayerBuilder.layer()
              .whiteout("doc")
              .file("a/z", "z\n", 0644)
              .opaque("c")
              .file("c/g", "g\n", 0644)
              .whiteout("gone-twice"),
          LayerBuilder.layer()
              .file("doc/new", "new\n", 0644)
              .whiteout("a/sub")
              .file("gone-twice", "back\n", 0644),
          LayerBuilder.layer()
              .opaque("a")
              .file("a/final", "final\n", 0644)
              .whiteout("gone-twice")
              .file("c/h", "h\n", 0644));

  static List<ObjectId> importLayers(OstreeRepository repo) throws Exception {
    return importLayers(repo, LAYERS);
  }

  static List<ObjectId> importLayers(OstreeRepository repo, List<LayerBuilder> layers) throws Exception {
    ImageStore store = new ImageStore(repo, Clock.systemUTC());
    List<ObjectId> commits = new ArrayList<>();
    for (LayerBuilder l : layers) {
      byte[] gz = l.tarGz();
      Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.parse(LayerBuilder.sha256(gz)), gz.length);
      commits.add(store.importLayer(d, new ByteArrayInputStream(gz), Optional.empty(), ImportLimits.DEFAULT));
    }
    return commits;
  }

  @Test
  void userModeMatchesOstree(@TempDir Path tmp) throws Exception {
    compare(tmp, RepoMode.BARE_USER, CheckoutMode.USER, List.of("-U"));
  }

  @Test
  void rootModeMatchesOstreeWithOwners(@TempDir Path tmp) throws Exception {
    Peers.requireRoot();
    compare(tmp, RepoMode.BARE, CheckoutMode.NONE, List.of());
  }

  /** ostree 2022.7 fails here ("opendir: Not a directory"); OCI says the later layer's directory wins. */
  @Test
  void whatUpperLayersRemoveIsNeverPlacedAndTheTreeIsOstrees(@TempDir Path tmp) throws Exception {
    Path ostree = Peers.require("ostree");
    Path repoDir = tmp.resolve("repo");
    OstreeRepository repo = OstreeRepository.openOrCreate(repoDir, RepoMode.BARE_USER);
    List<ObjectId> commits = importLayers(repo, REMOVALS);
    Path ours = tmp.resolve("ours");
    CheckoutStats stats = new UnionCheckout(repo, CheckoutMode.USER, true).checkout(commits, ours);
    Path theirs = tmp.resolve("theirs");
    for (ObjectId c : commits) {
      Exec.Result r =
          Exec.run(List.of(ostree.toString(), "checkout", "--repo=" + repoDir, "-U", "--union", "--whiteouts", c.hex(),
              theirs.toString()));
      assertThat(r.exitCode()).as(r.output()).isZero();
    }
    Map<String, String> expected = TreeSnapshot.of(theirs, false);
    assertThat(TreeSnapshot.of(ours, false)).isEqualTo(expected);
    assertThat(expected)
        .containsKeys("/a/final", "/c/g", "/c/h", "/doc/new", "/keep")
        .doesNotContainKeys("/a/x", "/a/z", "/a/sub", "/doc/one", "/doc/deep", "/c/f", "/gone-twice");
    // every file linked is one that stays: a/x, a/z, a/sub/y, doc/*, c/f and both gone-twice never were
    assertThat(stats.linked()).isEqualTo(5);
  }

  @Test
  void directoryReplacesFileAndBack(@TempDir Path tmp) throws Exception {
    OstreeRepository repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    ImageStore store = new ImageStore(repo, Clock.systemUTC());
    List<ObjectId> commits = new ArrayList<>();
    for (LayerBuilder l :
        List.of(
            LayerBuilder.layer().file("x", "file\n", 0644).dir("y", 0755).file("y/in", "i\n", 0644),
            LayerBuilder.layer().dir("x", 0750).file("x/now-a-dir", "d\n", 0644).file("y", "now a file\n", 0644),
            LayerBuilder.layer().file("x", "file again\n", 0644))) {
      byte[] gz = l.tarGz();
      Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.parse(LayerBuilder.sha256(gz)), gz.length);
      commits.add(store.importLayer(d, new ByteArrayInputStream(gz), Optional.empty(), ImportLimits.DEFAULT));
    }
    Path out = tmp.resolve("out");
    new UnionCheckout(repo, CheckoutMode.USER, true).checkout(commits, out);
    assertThat(Files.readString(out.resolve("x"))).isEqualTo("file again\n");
    assertThat(Files.readString(out.resolve("y"))).isEqualTo("now a file\n");
    assertThat(TreeSnapshot.of(out, false)).containsOnlyKeys("/x", "/y");
  }

  private void compare(Path tmp, RepoMode repoMode, CheckoutMode mode, List<String> modeArgs) throws Exception {
    Path ostree = Peers.require("ostree");
    Path repoDir = tmp.resolve("repo");
    OstreeRepository repo = OstreeRepository.openOrCreate(repoDir, repoMode);
    List<ObjectId> commits = importLayers(repo);

    Path ours = tmp.resolve("ours");
    CheckoutStats stats = new UnionCheckout(repo, mode, LinkProbe.canHardLink(repoDir, tmp)).checkout(commits, ours);
    assertThat(stats.linked()).isPositive();

    Path theirs = tmp.resolve("theirs");
    for (ObjectId c : commits) {
      List<String> cmd = new ArrayList<>(List.of(ostree.toString(), "checkout", "--repo=" + repoDir));
      cmd.addAll(modeArgs);
      cmd.addAll(List.of("--union", "--whiteouts", c.hex(), theirs.toString()));
      Exec.Result r = Exec.run(cmd);
      assertThat(r.exitCode()).as(r.output()).isZero();
    }
    boolean owners = mode == CheckoutMode.NONE;
    Map<String, String> expected = TreeSnapshot.of(theirs, owners);
    assertThat(TreeSnapshot.of(ours, owners)).isEqualTo(expected);
    assertThat(expected)
        .containsKey("/var/cache/new")
        .doesNotContainKeys("/etc/old.conf", "/var/cache/app", "/var/cache/top", "/becomes-file/inner");
    // hard links share the object's inode
    assertThat(Files.getAttribute(ours.resolve("bin/tool"), "unix:nlink")).isNotEqualTo(1);

    Exec.Result fsck = Exec.run(List.of(ostree.toString(), "fsck", "--repo=" + repoDir));
    assertThat(fsck.output()).contains("no errors found");
  }
}
