package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 1: an archive made by skopeo names its image {@code docker.io/library/NAME:latest} (or
 * {@code localhost/NAME} as podman saves it); after pulling it, every verb takes the short name {@code images list}
 * shows, with no network (each command runs in a network namespace of its own), and a short name that two stored
 * images could mean is refused, naming both.
 */
class ShortNamesIT {
  @TempDir Path tmp;

  @Test
  void aSkopeoMadeArchiveIsUsedByItsShortNameWithNoNetwork() throws Exception {
    Peers.requireRoot();
    Path skopeo = Peers.require("skopeo");
    Path oci = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(oci, "latest");
    Path oci2 = tmp.resolve("hello-2.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello"), java.util.Map.of("version", "2")).writeOciArchive(oci2, "2");
    Path dockerArchive = tmp.resolve("hello-docker.tar");
    Path podmanStyle = tmp.resolve("other-docker.tar");
    for (List<String> copy :
        List.of(
            List.of("oci-archive:" + oci, "docker-archive:" + dockerArchive + ":hello"),
            List.of("oci-archive:" + oci2, "docker-archive:" + podmanStyle + ":localhost/other:latest"))) {
      Exec.Result r = Exec.run(List.of(skopeo.toString(), "copy", "--quiet", copy.get(0), copy.get(1)));
      assertThat(r.exitCode()).as(r.output()).isZero();
    }
    String root = tmp.resolve("root").toString();
    Exec.Result help = Launcher.run("install", "--help"); // what a new user types first (item 2)
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.stdout()).startsWith("Usage: syscontainers install");

    assertThat(ok("pull", "--root", root, "docker-archive:" + dockerArchive).stdout())
        .contains("Pulled docker.io/library/hello:latest");
    assertThat(ok("pull", "--root", root, "docker-archive:" + podmanStyle).stdout())
        .contains("Pulled localhost/other:latest");
    assertThat(ok("images", "list", "--root", root).stdout()).contains("docker.io/library/hello", "localhost/other");

    assertThat(ok("images", "info", "--root", root, "hello").stdout())
        .contains("Image Name: docker.io/library/hello:latest");
    assertThat(ok("images", "info", "--root", root, "other").stdout()).contains("Image Name: localhost/other:latest");
    assertThat(ok("images", "info", "--root", root, "docker.io/hello").stdout())
        .contains("Image Name: docker.io/library/hello:latest");

    Exec.Result install = ok("install", "--system", "--root", root, "hello");
    assertThat(install.stdout()).contains("Extracting to /var/lib/containers/atomic/hello.0");
    Path checkout = tmp.resolve("root/var/lib/containers/atomic");
    assertThat(Files.readString(checkout.resolve("hello.0/info"))).contains("\"image\": \"docker.io/library/hello:latest\"");

    Path look = Files.createDirectories(tmp.resolve("look"));
    ok("mount", "--root", root, "other", look.toString());
    assertThat(look.resolve("hello/hello.sh")).exists();
    ok("umount", "--root", root, look.toString());

    Exec.Result run = ok("run", "--root", root, "other", "/bin/sh", "-c", "echo SHORT $CONTAINER_NAME");
    assertThat(run.stdout()).containsPattern("SHORT run-once-[0-9]+");

    ok("containers", "update", "--root", root, "--rebase", "other", "hello");
    assertThat(Files.readString(checkout.resolve("hello.1/info"))).contains("\"image\": \"localhost/other:latest\"");

    ok("images", "tag", "--root", root, "other", "other:2");
    assertThat(ok("images", "list", "--root", root).stdout()).containsPattern("other +2 ");
    ok("images", "delete", "-y", "--root", root, "other:2");

    // two stored images a short name could mean: refused, both named, nothing changed
    ok("images", "tag", "--root", root, "hello", "localhost/hello");
    for (String[] args :
        List.of(
            new String[] {"images", "info", "--root", root, "hello"},
            new String[] {"images", "delete", "-y", "--root", root, "hello"},
            new String[] {"install", "--system", "--root", root, "--name", "h2", "hello"})) {
      Exec.Result r = Launcher.runOffline(args);
      assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
      assertThat(Launcher.lines(r.stderr())).as(r.output()).singleElement().asString()
          .contains("docker.io/library/hello:latest", "localhost/hello:latest");
    }
    assertThat(checkout.resolve("h2")).doesNotExist();
    ok("images", "delete", "-y", "--root", root, "localhost/hello");
    ok("images", "delete", "-y", "--root", root, "docker.io/hello");
    assertThat(ok("images", "list", "--root", root).stdout()).doesNotContain("docker.io/library/hello");

    // nothing stored under the name: one line that says what was looked for locally and which registry was tried
    Exec.Result missing = Launcher.runOffline("install", "--system", "--root", root, "nothere");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(Launcher.lines(missing.stderr())).singleElement().asString()
        .contains("nothere:latest", "localhost/nothere:latest", "docker.io/library/nothere:latest")
        .contains("registry-1.docker.io");
    Exec.Result info = Launcher.runOffline("images", "info", "--root", root, "nothere");
    assertThat(Launcher.lines(info.stderr())).singleElement().asString()
        .startsWith("Image nothere not found").contains("localhost/nothere:latest");
  }

  private static Exec.Result ok(String... args) throws Exception {
    Exec.Result r = Launcher.runOffline(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isZero();
    assertThat(r.output()).as(String.join(" ", args)).doesNotContain("registry-1.docker.io");
    return r;
  }
}
