package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run: an image once, a command in an installed container, and install of an atomic.run=once image; real runc. */
class RunIT {
  @TempDir Path tmp;

  @Test
  void runsImagesOnceAndCommandsInInstalledContainers() throws Exception {
    Peers.requireRoot();
    Peers.require("runc");
    Path archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    String r = tmp.resolve("root").toString();
    Path repoTmp = tmp.resolve("root/var/lib/containers/atomic/.storage/ostree/tmp/atomic-container");

    Exec.Result once = Launcher.run("run", "--root", r, "oci-archive:" + archive, "/bin/sh", "-c", "echo ONCE $CONTAINER_NAME");
    assertThat(once.exitCode()).as(once.output()).isZero();
    assertThat(once.stdout()).containsPattern("ONCE run-once-[0-9]+");
    assertThat(repoTmp).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());

    // the command's exit status is run's
    Exec.Result failing = Launcher.run("run", "--root", r, "oci-archive:" + archive, "/bin/sh", "-c", "exit 7");
    assertThat(failing.exitCode()).as(failing.output()).isEqualTo(7);

    // an installed container that is not running: the command runs in a fresh container from its deployment
    assertThat(Launcher.run("install", "--system", "--name", "hello", "--root", r, "oci-archive:" + archive).exitCode())
        .isZero();
    Exec.Result in = Launcher.run("run", "--root", r, "hello", "/bin/sh", "-c", "echo IN $CONTAINER_NAME; cat /hello/hello.sh | head -1");
    assertThat(in.exitCode()).as(in.output()).isZero();
    assertThat(in.stdout()).contains("IN hello").contains("#!");
    Exec.Result missing = Launcher.run("run", "--root", r, "nothere", "true");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(Launcher.lines(missing.stderr())).singleElement().asString().contains("The container 'nothere' doesn't exist");
    assertThat(Launcher.run("run", "--root", r, "-d", "hello", "true").stderr())
        .contains("Cannot use --detach with not running containers");

    // install of an image labelled atomic.run=once runs it under the name given, and installs nothing
    Path onceArchive = tmp.resolve("hello-once.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("atomic.run", "once")).writeOciArchive(onceArchive, "1");
    Exec.Result ranOnce =
        Launcher.run("install", "--system", "--name", "Saturn", "--root", r, "--set", "GREETING=HI Pluto", "oci-archive:" + onceArchive);
    assertThat(ranOnce.exitCode()).as(ranOnce.output()).isZero();
    assertThat(ranOnce.stdout()).contains("HI Pluto").contains("Saturn");
    assertThat(tmp.resolve("root/var/lib/containers/atomic/Saturn")).doesNotExist();
    assertThat(tmp.resolve("root/etc/systemd/system/Saturn.service")).doesNotExist();
    assertThat(Files.exists(repoTmp) ? Files.list(repoTmp).count() : 0).isZero();
  }
}
