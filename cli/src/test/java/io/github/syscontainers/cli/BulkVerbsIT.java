package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containers update --all with its summary, and containers delete with its confirmation. */
class BulkVerbsIT {
  @TempDir Path tmp;

  @Test
  void updateAllSummarisesEachContainerAndDeleteAsksFirst() throws Exception {
    Peers.requireRoot();
    Path v1 = tmp.resolve("v1/app.tar");
    Path v2 = tmp.resolve("v2/app.tar");
    Path other = tmp.resolve("other.tar");
    Files.createDirectories(v1.getParent());
    Files.createDirectories(v2.getParent());
    UpdateRollbackIT.version("1", "app/only-in-v1").writeOciArchive(v1, "1");
    UpdateRollbackIT.version("2", "app/only-in-v2").writeOciArchive(v2, "1");
    UpdateRollbackIT.version("9", "app/other").writeOciArchive(other, "1");
    String r = tmp.resolve("root").toString();
    Path co = tmp.resolve("root/var/lib/containers/atomic");
    assertThat(Launcher.run("install", "--system", "--name", "a", "--root", r, "oci-archive:" + v1).exitCode()).isZero();
    assertThat(Launcher.run("install", "--system", "--name", "b", "--root", r, "oci-archive:" + other).exitCode()).isZero();

    // the same name, app:1, now holds version 2; nothing new for other:1
    assertThat(Launcher.run("pull", "--root", r, "oci-archive:" + v2).exitCode()).isZero();
    Exec.Result all = Launcher.run("containers", "update", "--all", "--root", r);
    assertThat(all.exitCode()).as(all.output()).isZero();
    assertThat(all.stdout()).contains("Checking container a...").contains("Checking container b...")
        .contains("\nSUMMARY\n");
    assertThat(row(all.stdout(), "a")).endsWith("Updated now");
    assertThat(row(all.stdout(), "b")).endsWith("Updated");
    assertThat(co.resolve("a/rootfs/app/only-in-v2")).exists();
    assertThat(Files.readSymbolicLink(co.resolve("b"))).isEqualTo(Path.of("b.0"));

    // b's image is gone: its update fails, the others go on
    assertThat(Launcher.run("images", "delete", "-y", "--root", r, "other:1").exitCode()).isZero();
    Exec.Result again = Launcher.run("containers", "update", "-a", "--root", r);
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(row(again.stdout(), "a")).endsWith("Updated");
    assertThat(row(again.stdout(), "b")).contains("<NOT FOUND>").endsWith("Failed");
    assertThat(Launcher.run("containers", "update", "-a", "--set", "X=1", "--root", r).stderr())
        .contains("Incompatible options specified.  --all doesn't support --set or --rebase");

    Exec.Result asked = Launcher.run("containers", "delete", "--root", r, "a");
    assertThat(asked.exitCode()).isEqualTo(2);
    assertThat(asked.stdout()).contains("Do you wish to delete the following containers?").contains("Confirm (y/N)");
    assertThat(asked.stderr()).contains("User aborted delete operation for ['a']");
    assertThat(co.resolve("a")).exists();
    assertThat(Launcher.run("containers", "delete", "--root", r, "--all", "a").stderr())
        .contains("You must select --all or provide a list of containers to delete.");
    assertThat(Launcher.run("containers", "delete", "--root", r, "-y", "nope").stderr())
        .contains("System container 'nope' is not installed");
    Exec.Result deleted = Launcher.run("containers", "delete", "--root", r, "-y", "--all");
    assertThat(deleted.exitCode()).as(deleted.output()).isZero();
    assertThat(deleted.stdout()).contains("The following containers will be deleted.");
    assertThat(co.resolve("a")).doesNotExist();
    assertThat(co.resolve("b")).doesNotExist();
    assertThat(co.resolve("a.0")).doesNotExist();
    Exec.Result none = Launcher.run("containers", "delete", "--root", r, "-y", "--all");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.stderr()).contains("No containers to delete");
  }

  /** The summary row of a container, trailing spaces removed. */
  private static String row(String out, String container) {
    String tail = out.substring(out.indexOf("\nSUMMARY\n"));
    return tail.lines().filter(l -> l.startsWith(container + " ")).findFirst().orElseThrow().strip();
  }
}
