package io.github.syscontainers.objectstore;

import io.github.syscontainers.platform.NativeXattrs;
import static io.github.syscontainers.objectstore.NativeObjectFileTest.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Repositories we write are checked by the real ostree: fsck, ls, cat, log, and the same tree ids as its commit. */
class OstreeInteropIT {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

  static LayerBuilder sampleLayer() {
    return LayerBuilder.layer()
        .dir("bin", 0755)
        .file("bin/run.sh", "#!/bin/sh\necho hi\n", 0755)
        .file("hello.txt", "hello\n", 0644)
        .symlink("link", "hello.txt")
        .symlink("abs", "/etc/passwd")
        .file("empty.txt", new byte[0], 0600, 0, 0)
        .file("owned.txt", "own\n".getBytes(), 0644, 1000, 1000)
        .file("suid", "x".getBytes(), 04755, 0, 0)
                .hardlink("hello-again.txt", "hello.txt")
        .dir("emptydir", 0700)
        .dir("etc", 0755)
        .whiteout("etc/old.conf")
        .opaque("var/cache")
        .file("deep/er/still/" + "n".repeat(150), "long name\n", 0644)
        // objects large enough to go to the disk directly: from memory with a tail under 4 KiB, streamed through
        // the pipe as whole 4 KiB blocks, and streamed with a tail
        .file("big/medium.bin", pattern(100_003), 0644, 0, 0)
        .file("big/aligned.bin", pattern((1 << 20) + 2 * 4096), 0644, 0, 0)
        .file("big/large.bin", pattern(3 * (1 << 20) + 77), 0600, 0, 0);
  }

  /** CAP_SETUID+ep as the kernel stores it (v2): the permitted word has byte 0x80, which UTF-8 decoding would lose. */
  static final byte[] CAP_SETUID =
      HexFormat.of().parseHex("0100000280000000000000000000000000000000");

  @ParameterizedTest
  @EnumSource(value = RepoMode.class, names = {"BARE", "BARE_USER"})
  void fileCapabilitiesSurviveImportAndOstreeAgrees(RepoMode mode, @TempDir Path tmp) throws Exception {
    Path ostree = Peers.require("ostree");
    Peers.requireRoot();
    // security.capability needs libc's xattr calls: the JDK's twin reaches user.* only (docs/platform.md)
    Peers.requireNative(NativeXattrs.available(), "libc's xattr calls are not reachable through JNA");
    Path repoDir = tmp.resolve("repo");
    OstreeRepository repo = OstreeRepository.openOrCreate(repoDir, mode);
    byte[] tar =
        LayerBuilder.layer()
            .dir("bin", 0755)
            .fileWithRawXattr("bin/tool", "tool\n", 0755, "security.capability", CAP_SETUID)
            .tar();
    ImportedLayer layer =
        new LayerImporter(repo, ImportLimits.DEFAULT).importLayer(new ByteArrayInputStream(tar), Optional.empty(), "caps");
    repo.setRef("caps", CommitWriter.write(repo, layer.root(), Map.of(), CLOCK));
    ObjectId id = Trees.lookupFile(repo, layer.root().tree(), io.github.syscontainers.model.ImagePath.of("bin/tool")).orElseThrow();
    assertThat(repo.loadContent(id).meta().xattrs())
        .singleElement()
        .satisfies(x -> assertThat(x.value()).isEqualTo(CAP_SETUID));
    Exec.Result fsck = Exec.run(List.of(ostree.toString(), "fsck", "--repo=" + repoDir));
    assertThat(fsck.output()).contains("no errors found");
    Exec.Result ls = Exec.run(List.of(ostree.toString(), "ls", "-X", "--repo=" + repoDir, "caps", "/bin/tool"));
    assertThat(ls.stdout()).contains("security.capability");
    // ostree's own checkout (root, no -U) applies the capability from the object
    Path co = tmp.resolve("co");
    Exec.Result c = Exec.run(List.of(ostree.toString(), "checkout", "--repo=" + repoDir, "caps", co.toString()));
    assertThat(c.exitCode()).as(c.output()).isZero();
    assertThat(Xattr.of(NativeXattrs.list(co.resolve("bin/tool"))))
        .filteredOn(x -> x.name().equals("security.capability"))
        .singleElement()
        .satisfies(x -> assertThat(x.value()).isEqualTo(CAP_SETUID));
  }

  @ParameterizedTest
  @EnumSource(value = RepoMode.class)
  void ostreeAcceptsWhatWeWrite(RepoMode mode, @TempDir Path tmp) throws Exception {
    Path ostree = Peers.require("ostree");
    if (mode == RepoMode.BARE) {
      Peers.requireRoot();
    }
    Path repoDir = tmp.resolve("repo");
    OstreeRepository repo = OstreeRepository.openOrCreate(repoDir, mode);
    byte[] tar = sampleLayer().tar();
    // ostree 2022.7 hashes tar xattrs in archive order while we sort them (ostree >= 2024.10 sorts too), so the
    // xattr file lives in a second layer, checked against the golden checksum of ostree-format.md Example 4
    byte[] xattrTar =
        LayerBuilder.layer().fileWithXattrs("xattr.txt", "x", 0644, Map.of("user.zeta", "z1", "user.alpha", "a1")).tar();
    ImportedLayer xattrLayer =
        new LayerImporter(repo, ImportLimits.DEFAULT)
            .importLayer(new ByteArrayInputStream(xattrTar), Optional.empty(), "xattrs");
    assertThat(repo.readDirTree(xattrLayer.root().tree()).file("xattr.txt").orElseThrow().checksum().hex())
        .isEqualTo(
            mode == RepoMode.BARE_USER_ONLY
                ? "086bca4ef86474d13398a73f6f5aa713c534312db4af53530a1da02d61b09bcd"
                : "ba3b34774d4e1e01215661f2897bba2a513c5314260e2ee8da720e3eb183e954");
    ImportedLayer layer =
        new LayerImporter(repo, ImportLimits.DEFAULT)
            .importLayer(new ByteArrayInputStream(LayerBuilder.gzip(tar)), Optional.empty(), "sample");
    ObjectId commit = CommitWriter.write(repo, layer.root(), Map.of("version", "1.0"), CLOCK);
    repo.setRef("test/layer", commit);
    assertThat(layer.diffId().toString()).isEqualTo(LayerBuilder.sha256(tar));

    Exec.Result fsck = Exec.run(List.of(ostree.toString(), "fsck", "--repo=" + repoDir));
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();
    assertThat(fsck.output()).contains("no errors found");

    Exec.Result ls = Exec.run(List.of(ostree.toString(), "ls", "-R", "--repo=" + repoDir, "test/layer"));
    assertThat(ls.exitCode()).as(ls.output()).isZero();
    assertThat(ls.stdout())
        .contains("/bin/run.sh", "/hello.txt", "/link -> hello.txt", "/etc/.wh.old.conf", "/var/cache/.wh..wh..opq")
        .contains("/deep/er/still/" + "n".repeat(150));

    Exec.Result cat = Exec.run(List.of(ostree.toString(), "cat", "--repo=" + repoDir, "test/layer", "/hello.txt"));
    assertThat(cat.stdout()).isEqualTo("hello\n");
    Path checkout = tmp.resolve("co");
    Exec.Result co =
        Exec.run(List.of(ostree.toString(), "checkout", "-U", "--repo=" + repoDir, "test/layer", checkout.toString()));
    assertThat(co.exitCode()).as(co.output()).isZero();
    assertThat(Files.readAllBytes(checkout.resolve("big/large.bin"))).isEqualTo(pattern(3 * (1 << 20) + 77));
    assertThat(Files.readAllBytes(checkout.resolve("big/aligned.bin"))).isEqualTo(pattern((1 << 20) + 2 * 4096));
    assertThat(Files.readAllBytes(checkout.resolve("big/medium.bin"))).isEqualTo(pattern(100_003));
    Exec.Result log = Exec.run(List.of(ostree.toString(), "log", "--repo=" + repoDir, "test/layer"));
    assertThat(log.exitCode()).as(log.output()).isZero();
    assertThat(log.stdout()).contains(commit.hex(), "2024-01-01");

    // the same tar committed by ostree itself gives the same tree: compare ostree's ContentChecksum
    if (mode != RepoMode.BARE_USER_ONLY) {
      Path theirs = tmp.resolve("theirs");
      Path tarFile = tmp.resolve("layer.tar");
      Files.write(tarFile, tar);
      Exec.run(List.of(ostree.toString(), "init", "--repo=" + theirs, "--mode=" + mode.configName()));
      Exec.Result c =
          Exec.run(
              List.of(ostree.toString(), "commit", "--repo=" + theirs, "-b", "t", "--tar-autocreate-parents", "--tree=tar=" + tarFile));
      assertThat(c.exitCode()).as(c.output()).isZero();
      Exec.Result theirLs = Exec.run(List.of(ostree.toString(), "ls", "-R", "-X", "-C", "--repo=" + theirs, "t"));
      Exec.Result ourLs = Exec.run(List.of(ostree.toString(), "ls", "-R", "-X", "-C", "--repo=" + repoDir, "test/layer"));
      assertThat(ourLs.stdout()).isEqualTo(theirLs.stdout());
      Exec.Result show = Exec.run(List.of(ostree.toString(), "show", "--repo=" + theirs, "t"));
      var sha = io.github.syscontainers.model.Digest.newSha256();
      sha.update(layer.root().tree().toBytes());
      sha.update(layer.root().meta().toBytes());
      String ours = HexFormat.of().formatHex(sha.digest());
      assertThat(show.stdout()).contains("ContentChecksum:  " + ours);
    }
  }
}
