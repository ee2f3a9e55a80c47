package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27, item 3: the flags of atomic's verbs (../shared/spec/atomic-system-containers.md §3), walked verb by verb
 * through the launcher: each is accepted with atomic's behaviour or refused with atomic's message.
 */
class AtomicFlagsIT {
  @TempDir Path tmp;
  String root;
  Path checkout;
  Path archive;

  @BeforeEach
  void installSample() throws Exception {
    Peers.requireRoot();
    archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    root = tmp.resolve("root").toString();
    checkout = tmp.resolve("root/var/lib/containers/atomic");
    ok("pull", "-t", "system", "--root", root, "oci-archive:" + archive); // §3.2: -t is accepted, ignored
    ok("install", "--system", "--root", root, "--name", "hello", "hello");
  }

  @Test
  void global() throws Exception {
    assertThat(ok("-v").stdout()).startsWith("syscontainers ");
    assertThat(ok("-i", "--debug", "images", "list", "--root", root).stdout()).contains("hello");
  }

  @Test
  void install() throws Exception {
    fails(1, "The --system and --user options are only available for the 'ostree' storage.",
        "install", "--system", "--storage", "docker", "--root", root, "--name", "x", "hello");
    fails(1, "Invalid value 'GREETING'.  Expected form NAME=VALUE",
        "install", "--system", "--root", root, "--name", "x", "--set", "GREETING", "hello");
    fails(1, "Invalid --system-package mode.  Accepted values: 'auto', 'build', 'no', 'yes'",
        "install", "--system", "--root", root, "--name", "x", "--system-package=maybe", "hello");
    assertThat(ok("install", "--system", "--root", root, "hello").stdout()).contains("hello already present");
  }

  @Test
  void uninstallTakesAtomicsIgnoredFlagsAndArgs() throws Exception {
    ok("uninstall", "-f", "--display", "--root", root, "hello", "extra", "args");
    assertThat(checkout.resolve("hello")).doesNotExist();
  }

  @Test
  void containersListFilters() throws Exception {
    assertThat(ok("containers", "list", "-a", "--root", root, "-f", "image=HELLO", "-f", "container=hel").stdout())
        .contains("hello");
    assertThat(ok("containers", "list", "-a", "-q", "--root", root, "--filter", "state=running").stdout()).isEmpty();
    assertThat(ok("containers", "list", "-a", "--root", root, "-f", "backend=ostree", "-f", "runtime=runc").stdout())
        .contains("hello");
    JsonNode json =
        new ObjectMapper().readTree(ok("containers", "list", "-a", "--json", "--root", root, "-f", "image=nope").stdout());
    assertThat(json).isEmpty();
    fails(1,
        "The filter nope is not valid.  Please choose from ['container', 'image', 'command', 'created', 'state',"
            + " 'runtime', 'backend']",
        "containers", "list", "-a", "--root", root, "-f", "nope=1");
    fails(1, "The filter image is not formatted correctly.  It should be VAR=VALUE",
        "containers", "list", "-a", "--root", root, "-f", "image");
  }

  @Test
  void containersDeleteAsksAsAtomicDid() throws Exception {
    Exec.Result no = Launcher.answer("n\n", "containers", "delete", "--root", root, "hello");
    assertThat(no.exitCode()).isEqualTo(2);
    assertThat(no.stdout()).contains("Do you wish to delete the following containers?", "Confirm (y/N) ");
    assertThat(no.stderr()).isEqualTo("User aborted delete operation for ['hello']\n");
    assertThat(checkout.resolve("hello")).exists();
    Exec.Result yes = Launcher.answer("yes\n", "containers", "delete", "--root", root, "hello");
    assertThat(yes.exitCode()).as(yes.output()).isZero();
    assertThat(checkout.resolve("hello")).doesNotExist();
    fails(1, "No containers to delete", "-y", "containers", "delete", "--all", "--root", root);
  }

  @Test
  void imagesListFilters() throws Exception {
    ok("images", "tag", "--root", root, "hello", "other:2");
    String out = ok("images", "list", "--root", root, "-f", "repo=HEL", "-f", "type=ostree").stdout();
    assertThat(out).contains("hello").doesNotContain("other");
    assertThat(Launcher.lines(ok("images", "list", "--root", root, "-f", "tag=2", "-n").stdout()))
        .singleElement().asString().contains(" other ");
    assertThat(ok("images", "list", "--root", root, "-f", "is_dangling=true", "-q").stdout()).isEmpty();
    JsonNode json = new ObjectMapper().readTree(ok("images", "list", "--json", "--root", root, "-f", "Repository=oth").stdout());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("repo").asText()).isEqualTo("other");
    fails(1,
        "The filter foo is not valid.  Please choose from ['repo', 'repository', 'tag', 'id', 'image', 'created',"
            + " 'size', 'type', 'is_dangling']",
        "images", "list", "--root", root, "-f", "foo=1");
    fails(1, "The filter repo is not formatted correctly.  It should be VAR=VALUE",
        "images", "list", "--root", root, "-f", "repo");
  }

  @Test
  void imagesDeleteAsksAndTakesAllAndRemote() throws Exception {
    ok("images", "tag", "--root", root, "hello", "other:2");
    Exec.Result no = Launcher.answer("", "images", "delete", "--root", root, "other:2");
    assertThat(no.exitCode()).isEqualTo(2);
    assertThat(no.stdout()).contains("Do you wish to delete the following images?", "other:2", "ostree");
    assertThat(no.stderr()).isEqualTo("User aborted delete operation for ['other:2']\n");
    assertThat(Launcher.answer("y\n", "images", "delete", "--root", root, "other:2").exitCode()).isZero();
    assertThat(ok("images", "list", "--root", root).stdout()).doesNotContain("other");
    fails(1, "You must select --all or provide a list of images to delete.", "images", "delete", "--root", root);
    fails(2, "argument --remote: not allowed with argument --force",
        "images", "delete", "-f", "--remote", "--root", root, "hello");
    fails(2, "argument --user: not allowed with argument --system",
        "install", "--system", "--user", "--root", root, "hello");
    Exec.Result all = ok("-y", "images", "delete", "--all", "--root", root);
    assertThat(all.stdout()).contains("The following images will be deleted.", "hello:latest");
    assertThat(ok("images", "list", "-q", "--root", root).stdout()).isEmpty();

    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      new RegistryPusher(registry.address()).push("samples/hello", "1", SampleImage.build(Launcher.TOP.resolve("examples/hello")));
      String image = registry.address() + "/samples/hello:1";
      assertThat(ok("images", "delete", "--remote", "--tls-verify=false", "--root", root, image).stdout())
          .contains("Image docker://" + image + " marked for deletion");
      Exec.Result gone = Launcher.run("pull", "--tls-verify=false", "--root", root, image);
      assertThat(gone.exitCode()).isEqualTo(1);
      assertThat(gone.stderr()).contains("MANIFEST_UNKNOWN");
      Exec.Result again = Launcher.run("images", "delete", "--remote", "--tls-verify=false", "--root", root, image);
      assertThat(again.exitCode()).isEqualTo(2);
      assertThat(again.stderr()).startsWith("Failed to mark Image docker://" + image + " for deletion: ");
    }
  }

  @Test
  void imagesInfoAndUpdate() throws Exception {
    fails(1, "The --remote option cannot be used with the 'ostree' storage option.",
        "images", "info", "--remote", "--root", root, "hello");
    // atomic's "Please specify --storage" is not kept: there is one storage (docs/atomic-quirks.md)
    assertThat(ok("images", "update", "--all", "--storage", "ostree", "--root", root).stderr())
        .contains("Image hello:latest not fully qualified: skipping");
    fails(1, "--force is not supported by ostree images", "images", "update", "-f", "--root", root, "hello");
  }

  @Test
  void runAndStop() throws Exception {
    Peers.require("runc");
    assertThat(ok("run", "--display", "--root", root, "hello", "/bin/sh", "-c", "echo IN").stdout()).contains("IN");
    fails(1, "--name is not supported by this backend", "run", "-n", "x", "--root", root, "hello");
    fails(1, "Unable to find backend associated with container 'nothere'", "stop", "--root", root, "nothere");
    assertThat(ok("stop", "--display", "--root", root, "hello").stdout()).isEqualTo("systemctl stop hello\n");
    assertThat(ok("stop", "--root", root, "hello", "ignored").stderr())
        .contains("skipped systemctl stop hello");
  }

  @Test
  void mountFlags() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("look"));
    fails(1, "Containers and images managed through OSTree do not support --live.",
        "mount", "--live", "--root", root, "hello", dir.toString());
    fails(2, "argument --shared: not allowed with argument --live",
        "mount", "--live", "--shared", "--root", root, "hello", dir.toString());
    fails(2, "argument --storage: not allowed with argument --shared",
        "mount", "--shared", "--storage", "ostree", "--root", root, "hello", dir.toString());
    fails(1, "foo is not a valid storage", "mount", "--storage", "foo", "--root", root, "hello", dir.toString());
    ok("mount", "-o", "ro,nodev", "--shared", "--root", root, "hello", dir.toString());
    assertThat(dir.resolve("hello/hello.sh")).exists();
    ok("unmount", "--root", root, dir.toString());
    assertThat(dir).isEmptyDirectory();
  }

  private static Exec.Result ok(String... args) throws Exception {
    Exec.Result r = Launcher.run(Map.of(), args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isZero();
    return r;
  }

  /** The command fails with {@code status} and one line on stderr that holds {@code message}. */
  private static void fails(int status, String message, String... args) throws Exception {
    Exec.Result r = Launcher.run(Map.of(), args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.output()).isEqualTo(status);
    assertThat(r.stderr()).as(String.join(" ", args)).contains(message);
    if (status == 1) {
      assertThat(Launcher.lines(r.stderr())).as(String.join(" ", args)).hasSize(1);
    }
  }
}
