package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 6: a layer is bounded by what it costs, not by how well it compresses. A real image whose layer
 * holds a 100 MiB file of zeros (a lastlog after {@code useradd} with a high UID) installs, as skopeo and umoci take
 * it; a 10 GiB stream of zeros in 10 MB is refused at once, the message naming the limit and how to raise it; the
 * limits come from the repository's config and from flags.
 */
class LayerLimitsIT {
  @TempDir Path tmp;
  String root;
  Path lastlogArchive;

  @BeforeEach
  void images() throws Exception {
    Peers.requireRoot();
    root = tmp.resolve("root").toString();
    lastlogArchive = tmp.resolve("lastlog.tar");
    TestImage.builder()
        .layer(LayerBuilder.layer().file("var/log/lastlog", new byte[100 << 20], 0644, 0, 0).file("etc/motd", "hi\n", 0644))
        .build()
        .writeOciArchive(lastlogArchive, "latest");
  }

  @Test
  void aHundredMibOfZerosInstallsAsWithSkopeoAndUmoci() throws Exception {
    String skopeo = Peers.require("skopeo").toString();
    String umoci = Peers.require("umoci").toString();
    Exec.Result copy = Exec.run(List.of(skopeo, "copy", "--quiet", "oci-archive:" + lastlogArchive, "oci:" + tmp.resolve("layout") + ":1"));
    assertThat(copy.exitCode()).as(copy.output()).isZero();
    Exec.Result unpack = Exec.run(List.of(umoci, "unpack", "--image", tmp.resolve("layout") + ":1", tmp.resolve("bundle").toString()));
    assertThat(unpack.exitCode()).as(unpack.output()).isZero();
    assertThat(Files.size(tmp.resolve("bundle/rootfs/var/log/lastlog"))).isEqualTo(100L << 20);

    Exec.Result install = Launcher.run("install", "--system", "--root", root, "--name", "lastlog", "oci-archive:" + lastlogArchive);
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(Files.size(tmp.resolve("root/var/lib/containers/atomic/lastlog.0/rootfs/var/log/lastlog"))).isEqualTo(100L << 20);
  }

  @Test
  void tenGibOfZerosIsRefusedAtOnceAndNothingIsStored() throws Exception {
    Path bomb = tmp.resolve("bomb.tar");
    TestImage.builder().compressedLayer(tenGibOfZeros(), "sha256:" + "0".repeat(64)).build().writeOciArchive(bomb, "latest");
    assertThat(Files.size(bomb)).isLessThan(16L << 20);
    long started = System.nanoTime();
    Exec.Result pull = Launcher.run("pull", "--root", root, "oci-archive:" + bomb);
    assertThat(pull.exitCode()).isEqualTo(1);
    assertThat(Launcher.lines(pull.stderr())).singleElement().asString()
        .contains("entry 'zeros' declares 10737418240 bytes, more than the 8 GiB per layer and 32 GiB per image allow")
        .contains("--max-layer-size")
        .contains("max-layer-size or max-image-size in the [syscontainers] group of ");
    assertThat(System.nanoTime() - started).as("refused at the entry's header").isLessThan(60_000_000_000L);
    assertThat(Launcher.run("images", "list", "--root", root).stdout()).doesNotContain("bomb");
  }

  @Test
  void limitsComeFromTheRepositoryConfigAndFlags() throws Exception {
    Exec.Result low = Launcher.run("pull", "--max-layer-size", "50M", "--root", root, "oci-archive:" + lastlogArchive);
    assertThat(low.exitCode()).isEqualTo(1);
    assertThat(Launcher.lines(low.stderr())).singleElement().asString()
        .contains("declares 104857600 bytes, more than the 50 MiB per layer");

    Exec.Result bad = Launcher.run("pull", "--max-image-size", "lots", "--root", root, "oci-archive:" + lastlogArchive);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(Launcher.lines(bad.stderr())).singleElement().asString().startsWith("--max-image-size: Invalid size 'lots'");

    Path config = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree/config");
    Files.writeString(config, Files.readString(config) + "\n[syscontainers]\nmax-image-size=60M\n");
    Exec.Result configured = Launcher.run("pull", "--root", root, "oci-archive:" + lastlogArchive);
    assertThat(configured.exitCode()).isEqualTo(1);
    assertThat(configured.stderr()).contains("60 MiB per image");
    Exec.Result raised = Launcher.run("pull", "--max-image-size", "1G", "--root", root, "oci-archive:" + lastlogArchive);
    assertThat(raised.exitCode()).as(raised.output()).isZero();
    // the real ostree still reads a repository with the [syscontainers] group in its config
    Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + config.getParent()));
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();
  }

  /** A gzip stream of a tar header for a 10 GiB file, then 10 GiB of zeros as 10,240 members of 1 MiB each. */
  private static byte[] tenGibOfZeros() throws Exception {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    TarArchiveOutputStream tar = new TarArchiveOutputStream(header);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    TarArchiveEntry e = new TarArchiveEntry("zeros");
    e.setSize(10L << 30);
    tar.putArchiveEntry(e);
    tar.flush();
    byte[] member = LayerBuilder.gzip(new byte[1 << 20]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(LayerBuilder.gzip(header.toByteArray()));
    for (int i = 0; i < 10 * 1024; i++) {
      out.write(member);
    }
    return out.toByteArray();
  }
}
