package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oci-archives, docker-archives and OCI layouts written by skopeo (which recompresses and re-lays them out) install as ours do. */
class SkopeoInteropIT {
  @TempDir Path tmp;

  @Test
  void installsFromSkopeoWrittenArchivesAndLayouts() throws Exception {
    Peers.requireRoot();
    String skopeo = Peers.require("skopeo").toString();
    Path layout = tmp.resolve("layout");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciLayout(layout, "1");

    Path archive = tmp.resolve("skopeo.tar");
    Exec.Result copy =
        Exec.run(List.of(skopeo, "copy", "oci:" + layout + ":1", "oci-archive:" + archive + ":hello-sk"));
    assertThat(copy.exitCode()).as(copy.output()).isZero();
    Path skLayout = tmp.resolve("sk-layout");
    Exec.Result copy2 = Exec.run(List.of(skopeo, "copy", "oci-archive:" + archive + ":hello-sk", "oci:" + skLayout + ":v2"));
    assertThat(copy2.exitCode()).as(copy2.output()).isZero();

    Path dockerArchive = tmp.resolve("docker.tar");
    Exec.Result copy3 =
        Exec.run(List.of(skopeo, "copy", "oci:" + layout + ":1", "docker-archive:" + dockerArchive + ":example.com/hello:d1"));
    assertThat(copy3.exitCode()).as(copy3.output()).isZero();

    String root = tmp.resolve("root").toString();
    Exec.Result a = Launcher.run("install", "--system", "--name", "fromarchive", "--root", root, "oci-archive:" + archive);
    assertThat(a.exitCode()).as(a.output()).isZero();
    Exec.Result l = Launcher.run("install", "--system", "--name", "fromlayout", "--root", root, "oci:" + skLayout + ":v2");
    assertThat(l.exitCode()).as(l.output()).isZero();
    Exec.Result d =
        Launcher.run("install", "--system", "--name", "fromdocker", "--root", root, "docker-archive:" + dockerArchive);
    assertThat(d.exitCode()).as(d.output()).isZero();
    for (String name : List.of("fromarchive", "fromlayout", "fromdocker")) {
      assertThat(tmp.resolve("root/var/lib/containers/atomic/" + name + ".0/rootfs/hello/hello.sh")).exists();
    }
    assertThat(Launcher.run("images", "list", "--root", root).stdout()).contains("hello-sk").contains("v2")
        .contains("example.com/hello").contains("d1");
    assertThat(Launcher.run("fsck", "--root", root).stdout()).contains("no errors found");
  }
}
