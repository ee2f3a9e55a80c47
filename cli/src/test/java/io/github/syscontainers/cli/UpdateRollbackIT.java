package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containers update (values, rebase into a cleaned slot) and rollback, and a container named like a slot. */
class UpdateRollbackIT {
  @TempDir Path tmp;

  static TestImage version(String v, String extraFile) {
    LayerBuilder l =
        LayerBuilder.layer()
            .file("exports/manifest.json", "{\"defaultValues\": {\"GREETING\": \"hello\"}}", 0644)
            .file("exports/service.template", "[Service]\nExecStart=$EXEC_START\nWorkingDirectory=$DESTDIR\n", 0644)
            .file(
                "exports/config.json.template",
                "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
                    + " \"process\": {\"cwd\": \"/\", \"terminal\": false, \"args\": [\"/app/run\"],"
                    + " \"env\": [\"GREETING=$GREETING\", \"ID=$UUID\"]}}",
                0644)
            .file("exports/hostfs/etc/app/version", v + "\n", 0644)
            .file("app/version", v + "\n", 0644)
            .file(extraFile, "only in " + v + "\n", 0644);
    return TestImage.builder().layer(l).build();
  }

  private static String uuid(Path config) throws Exception {
    Matcher m = Pattern.compile("ID=([0-9a-f-]{36})").matcher(Files.readString(config));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void updateRebaseAndRollback() throws Exception {
    Peers.requireRoot();
    Path v1 = tmp.resolve("app-v1.tar");
    Path v2 = tmp.resolve("app-v2.tar");
    version("1", "app/only-in-v1").writeOciArchive(v1, "1");
    version("2", "app/only-in-v2").writeOciArchive(v2, "2");
    Path root = tmp.resolve("root");
    String r = root.toString();
    Path co = root.resolve("var/lib/containers/atomic");

    assertThat(Launcher.run("install", "--system", "--name", "app", "--root", r, "oci-archive:" + v1).exitCode()).isZero();
    String id = uuid(co.resolve("app.0/config.json"));
    assertThat(root.resolve("etc/app/version")).content().isEqualTo("1\n");

    Exec.Result set = Launcher.run("containers", "update", "--root", r, "--set", "GREETING=bonjour", "app");
    assertThat(set.exitCode()).as(set.output()).isZero();
    assertThat(Files.readSymbolicLink(co.resolve("app"))).isEqualTo(Path.of("app.1"));
    assertThat(co.resolve("app.1/config.json")).content().contains("GREETING=bonjour");
    assertThat(uuid(co.resolve("app.1/config.json"))).isEqualTo(id);
    assertThat(root.resolve("etc/systemd/system/app.service")).content()
        .contains("WorkingDirectory=/var/lib/containers/atomic/app.1");
    assertThat(co.resolve("app.0/rootfs/app/only-in-v1")).exists(); // the previous deployment is kept

    Exec.Result same = Launcher.run("containers", "update", "--root", r, "app");
    assertThat(same.stdout().strip()).isEqualTo("Latest version already installed.");

    Exec.Result rebase = Launcher.run("containers", "update", "--root", r, "--rebase", "oci-archive:" + v2, "app");
    assertThat(rebase.exitCode()).as(rebase.output()).isZero();
    assertThat(Files.readSymbolicLink(co.resolve("app"))).isEqualTo(Path.of("app.0"));
    // the slot was cleaned: nothing of v1 survives next to v2 (atomic left it there)
    assertThat(co.resolve("app.0/rootfs/app/only-in-v1")).doesNotExist();
    assertThat(co.resolve("app.0/rootfs/app/only-in-v2")).exists();
    assertThat(co.resolve("app.0/config.json")).content().contains("GREETING=bonjour");
    assertThat(uuid(co.resolve("app.0/config.json"))).isEqualTo(id);
    assertThat(root.resolve("etc/app/version")).content().isEqualTo("2\n");
    assertThat(co.resolve("app.0/info")).content().contains("\"image\": \"app-v2:2\"");

    Exec.Result back = Launcher.run("containers", "rollback", "--root", r, "app");
    assertThat(back.exitCode()).as(back.output()).isZero();
    assertThat(back.stdout())
        .contains("Attempting to roll back system container: app")
        .contains("Rolling back container app to the checkout at /var/lib/containers/atomic/app.1");
    assertThat(Files.readSymbolicLink(co.resolve("app"))).isEqualTo(Path.of("app.1"));
    assertThat(root.resolve("etc/app/version")).content().isEqualTo("1\n");
    assertThat(root.resolve("etc/systemd/system/app.service")).content()
        .contains("WorkingDirectory=/var/lib/containers/atomic/app.1");
    assertThat(Launcher.run("containers", "rollback", "--root", r, "app").exitCode()).isZero();
    assertThat(Files.readSymbolicLink(co.resolve("app"))).isEqualTo(Path.of("app.0"));

    // mount: the container's tree (now v2) and an image's, as copies; umount empties only what mount filled
    Path m = tmp.resolve("mnt");
    assertThat(Launcher.run("mount", "--root", r, "app", m.toString()).exitCode()).isZero();
    assertThat(m.resolve("app/only-in-v2")).exists();
    assertThat((Integer) Files.getAttribute(m.resolve("app/version"), "unix:nlink")).isEqualTo(1);
    Exec.Result busy = Launcher.run("mount", "--root", r, "app-v1:1", m.toString());
    assertThat(Launcher.lines(busy.stderr())).singleElement().asString().isEqualTo("The destination path is not empty.");
    assertThat(Launcher.run("umount", "--root", r, m.toString()).exitCode()).isZero();
    assertThat(m).isEmptyDirectory();
    assertThat(Launcher.run("mount", "--root", r, "app-v1:1", m.toString()).exitCode()).isZero();
    assertThat(m.resolve("app/only-in-v1")).exists();
    assertThat(Launcher.run("unmount", "--root", r, m.toString()).exitCode()).isZero();
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(plain.resolve("keep"), "x");
    assertThat(Launcher.run("umount", "--root", r, plain.toString()).exitCode()).isNotZero();
    assertThat(plain.resolve("keep")).exists();

    assertThat(Launcher.run("uninstall", "app", "--root", r).exitCode()).isZero();
    assertThat(co.resolve("app.0")).doesNotExist();
    assertThat(co.resolve("app.1")).doesNotExist();
    assertThat(root.resolve("etc/app/version")).doesNotExist();

    Exec.Result missing = Launcher.run("containers", "rollback", "--root", r, "app");
    assertThat(Launcher.lines(missing.stderr())).singleElement().asString()
        .isEqualTo("System container 'app' is not installed");
  }

  /**
   * Issue 33, the air-gapped way: installed with the local policy, the container moves to the image of its name that a
   * pull from a new tarball put in the store, at the next auto-update; with no systemd here it is not started.
   */
  @Test
  void theLocalPolicyMovesToTheImagePulledFromATarball() throws Exception {
    Peers.requireRoot();
    Path archive = tmp.resolve("app.tar");
    version("1", "app/only-in-v1").writeOciArchive(archive, "1");
    String r = tmp.resolve("root").toString();
    Path co = tmp.resolve("root/var/lib/containers/atomic");
    Exec.Result none = Launcher.run("auto-update", "--root", r);
    assertThat(none.exitCode()).as(none.output()).isZero();
    assertThat(none.stdout()).contains("No container has an auto-update policy");
    Exec.Result bad = Launcher.run("auto-update", "--root", r, "--parallel", "0");
    assertThat(Launcher.lines(bad.stderr())).singleElement().asString()
        .isEqualTo("--parallel 0 is not a number of containers; give 1 or more");
    assertThat(bad.exitCode()).isNotZero();
    Exec.Result wrong = Launcher.run("install", "--system", "--name", "app", "--root", r,
        "--set", "io.containers.autoupdate=sometimes", "oci-archive:" + archive);
    assertThat(Launcher.lines(wrong.stderr())).singleElement().asString()
        .startsWith("io.containers.autoupdate=sometimes is not an auto-update policy; use registry");

    Exec.Result install = Launcher.run("install", "--system", "--name", "app", "--root", r,
        "--set", "io.containers.autoupdate=local", "oci-archive:" + archive);
    assertThat(install.exitCode()).as(install.output()).isZero();
    Exec.Result list = Launcher.run("containers", "list", "-a", "--json", "--root", r);
    assertThat(list.stdout()).contains("\"auto_update\" : \"local\"");
    Exec.Result same = Launcher.run("auto-update", "--root", r, "--json");
    assertThat(same.exitCode()).as(same.output()).isZero();
    assertThat(same.stdout()).contains("\"status\" : \"up to date\"");

    version("2", "app/only-in-v2").writeOciArchive(archive, "1");
    assertThat(Launcher.run("pull", "--root", r, "oci-archive:" + archive).exitCode()).isZero();
    Exec.Result dry = Launcher.run("auto-update", "--root", r, "--dry-run");
    assertThat(dry.stdout()).containsPattern("app +\\S+ +local +\\w{12} +\\w{12} +pending");
    assertThat(Files.readSymbolicLink(co.resolve("app"))).isEqualTo(Path.of("app.0"));
    Exec.Result run = Launcher.run("auto-update", "--root", r, "--json");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.stdout()).contains("\"status\" : \"updated\"").contains("not started");
    assertThat(Files.readSymbolicLink(co.resolve("app"))).isEqualTo(Path.of("app.1"));
    assertThat(co.resolve("app.1/rootfs/app/version")).content().isEqualTo("2\n");
    assertThat(co.resolve("app.1/info")).content().contains("\"auto-update\": \"local\"");
    assertThat(Launcher.run("auto-update", "--root", r, "--json").stdout()).contains("\"status\" : \"up to date\"");
  }

  @Test
  void remoteRootfsIsLinkedNotCheckedOut() throws Exception {
    Peers.requireRoot();
    Path v1 = tmp.resolve("app-v1.tar");
    version("1", "app/x").writeOciArchive(v1, "1");
    String r = tmp.resolve("root").toString();
    Path co = tmp.resolve("root/var/lib/containers/atomic");
    assertThat(Launcher.run("install", "--system", "--name", "base", "--root", r, "oci-archive:" + v1).exitCode()).isZero();

    Exec.Result remote =
        Launcher.run("install", "--system", "--name", "remote", "--rootfs", co.resolve("base.0").toString(), "--root", r,
            "app-v1:1");
    assertThat(remote.exitCode()).as(remote.output()).isZero();
    assertThat(remote.stdout()).contains("The remote rootfs for this container is set to be " + co.resolve("base.0/rootfs").toRealPath());
    assertThat(co.resolve("remote.0/rootfs")).isSymbolicLink();
    assertThat(co.resolve("remote.0/config.json")).content()
        .contains("\"path\": \"/var/lib/containers/atomic/base.0/rootfs\"");
    assertThat(co.resolve("remote.0/info")).content().contains("\"remote\": \"" + co.resolve("base.0") + "\"");

    Exec.Result update = Launcher.run("containers", "update", "--root", r, "--set", "GREETING=x", "remote");
    assertThat(update.stdout()).contains("Updating a container with a remote rootfs. Only changes to config will be applied.");
    assertThat(co.resolve("remote.1/rootfs")).isSymbolicLink();

    assertThat(Launcher.run("uninstall", "remote", "--root", r).exitCode()).isZero();
    assertThat(co.resolve("base.0/rootfs/app/x")).exists();

    Exec.Result missing =
        Launcher.run("install", "--system", "--name", "gone", "--rootfs", tmp.resolve("nope").toString(), "--root", r,
            "app-v1:1");
    assertThat(Launcher.lines(missing.stderr())).singleElement().asString()
        .isEqualTo("The container's rootfs is set to remote, but the remote rootfs does not exist");
    Exec.Result empty =
        Launcher.run("install", "--system", "--name", "gone", "--rootfs", tmp.toString(), "--root", r, "app-v1:1");
    assertThat(Launcher.lines(empty.stderr())).singleElement().asString()
        .isEqualTo("--remote was specified but the given location does not contain a rootfs");
  }

  @Test
  void aContainerNamedLikeASlotWorks() throws Exception {
    Peers.requireRoot();
    Path v1 = tmp.resolve("app-v1.tar");
    version("1", "app/x").writeOciArchive(v1, "1");
    String r = tmp.resolve("root").toString();
    Path co = tmp.resolve("root/var/lib/containers/atomic");
    assertThat(Launcher.run("install", "--system", "--name", "svc.0", "--root", r, "oci-archive:" + v1).exitCode()).isZero();
    assertThat(Files.readSymbolicLink(co.resolve("svc.0"))).isEqualTo(Path.of("svc.0.0"));
    assertThat(Launcher.run("containers", "list", "-a", "-q", "--root", r).stdout().lines()).containsExactly("svc.0");
    assertThat(Launcher.run("images", "prune", "--root", r).exitCode()).isZero();
    assertThat(co.resolve("svc.0.0")).isDirectory();
    assertThat(Launcher.run("uninstall", "svc.0", "--root", r).exitCode()).isZero();
    assertThat(co.resolve("svc.0.0")).doesNotExist();
  }
}
