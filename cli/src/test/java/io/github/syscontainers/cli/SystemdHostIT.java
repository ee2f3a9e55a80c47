package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Cosign;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lifecycle on a real systemd host: ../shared/tools/systemd-host boots a throwaway Debian with systemd as PID 1
 * under runc (sharing the host's network, so a docker-registry on the host's loopback is reachable). Inside it, as
 * root: pull, install, systemctl start and the service's greeting in the journal, containers list shows it running,
 * update while running (restarted on the new deployment, new
 * greeting), rollback, stop, uninstall; a run-once image; a name with {@code .0} in it on a remote rootfs, with
 * another runtime, and a command exec'd into it while it runs. As a
 * non-root user under a real {@code systemd --user}: install --user, start it rootless, exec, uninstall. Every unit
 * passes systemd-analyze verify there. With {@code trust default reject} and one trusted registry, a signed image
 * installs and an unsigned one is refused before any of its blobs is requested.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdHostIT {
  static final Path STATE = Path.of("/var/tmp/syscontainers-systemd-host");
  static final String CLI = "java -XX:+UseSerialGC -jar /src/cli/target/cli-0.1.0-SNAPSHOT.jar ";
  static final String ATOMIC = "/var/lib/containers/atomic/";
  /** A user without subordinate IDs: its rootless containers map only its own uid, which runc does alone. */
  static final String USER_SETUP =
      "id -u alice >/dev/null 2>&1 || useradd -m -u 1000 alice; sed -i '/^alice:/d' /etc/subuid /etc/subgid;"
          + " rm -rf /home/alice/.local /home/alice/.config /home/alice/.data;"
          + " mkdir -p /etc/systemd/system/user@1000.service.d;"
          // the host has no pam_systemd, which would set this for the user manager
          + " printf '[Service]\\nEnvironment=XDG_RUNTIME_DIR=/run/user/1000\\n'"
          + " > /etc/systemd/system/user@1000.service.d/runtime-dir.conf;"
          + " systemctl daemon-reload && systemctl start user@1000.service";

  Path tmp;
  Path tool;
  DockerRegistry registry;
  String image;
  String onceImage;
  /** When this run began, in the host's seconds: its journal outlives each boot and shares the kernel's boot id. */
  String since;

  @BeforeAll
  void boot() throws Exception {
    Peers.requireRoot();
    Peers.require("runc");
    Peers.require("debootstrap");
    tool = tool();
    tmp = Files.createTempDirectory("systemd-host-it");
    Path share = Files.createDirectories(tmp.resolve("share"));
    cgroupfsRuntime(share);
    registry = DockerRegistry.start(tmp.resolve("registry"));
    RegistryPusher pusher = new RegistryPusher(registry.address());
    pusher.push("samples/hello", "1", SampleImage.build(Launcher.TOP.resolve("examples/hello")));
    pusher.push("samples/once", "1", SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("atomic.run", "once")));
    image = registry.address() + "/samples/hello:1";
    onceImage = registry.address() + "/samples/once:1";
    Exec.Result up =
        Exec.run(
            List.of(
                tool.toString(), "up", STATE.toString(), "--bind", Launcher.TOP + ":/src:ro", "--bind",
                "/etc/java-17-openjdk:/etc/java-17-openjdk:ro", "--bind", share + ":/share"));
    assertThat(up.exitCode()).as(up.output()).isZero();
    // the rootfs is kept between runs: start from a host with no containers
    Exec.Result reset =
        inside("sh", "-c",
            "for c in hello web.0 signed; do systemctl disable --now $c; runc delete -f $c; done 2>/dev/null;"
                + " rm -rf " + ATOMIC + " /etc/systemd/system/hello.service /etc/systemd/system/web.0.service"
                + " /etc/tmpfiles.d/hello.conf /etc/tmpfiles.d/web.0.conf /etc/containers"
                + " /etc/systemd/system/signed.service /etc/tmpfiles.d/signed.conf && systemctl daemon-reload"
                + " && systemctl reset-failed");
    assertThat(reset.exitCode()).as(reset.output()).isZero();
    since = "@" + inside("date", "+%s").stdout().strip();
  }

  @AfterAll
  void shutDown() throws Exception {
    if (tool != null) {
      Exec.run(List.of(tool.toString(), "down", STATE.toString()));
    }
    if (registry != null) {
      registry.close();
    }
  }

  /**
   * Writes {@code share/runc-cgroupfs}: runc whose --help offers no --systemd-cgroup, so units call it with the
   * cgroupfs driver. In this nested host, runc exec cannot join a container that runc started with --systemd-cgroup.
   */
  static Path cgroupfsRuntime(Path share) throws java.io.IOException {
    Path runtime = share.resolve("runc-cgroupfs");
    Files.writeString(
        runtime,
        "#!/bin/sh\n# runc whose --help offers no --systemd-cgroup, so units call it with the cgroupfs driver\n"
            + "if [ \"$1\" = --help ]; then /usr/bin/runc --help | grep -v -- --systemd-cgroup; exit; fi\n"
            + "exec /usr/bin/runc \"$@\"\n");
    Files.setPosixFilePermissions(runtime, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return runtime;
  }

  static Path tool() {
    Path p = Launcher.TOP.getParent().resolve("shared/tools/systemd-host");
    if (!Files.isExecutable(p)) {
      String reason = "../shared/tools/systemd-host is not here";
      if (Peers.underCi()) {
        Assertions.fail(reason);
      }
      Assumptions.abort(reason);
    }
    return p;
  }

  Exec.Result inside(String... cmd) throws Exception {
    List<String> argv = new ArrayList<>(List.of(tool.toString(), "exec", STATE.toString()));
    argv.addAll(List.of(cmd));
    return Exec.run(argv);
  }

  Exec.Result cli(String args) throws Exception {
    return inside("sh", "-c", CLI + args);
  }

  /** Runs {@code command} in a shell as alice (uid 1000), with the environment a login would give. */
  Exec.Result asAlice(String command) throws Exception {
    return inside(
        "setpriv", "--reuid=1000", "--regid=1000", "--init-groups", "env", "-i", "HOME=/home/alice", "USER=alice",
        "LOGNAME=alice", "PATH=/usr/local/bin:/usr/bin:/bin", "XDG_RUNTIME_DIR=/run/user/1000", "sh", "-c",
        "cd /home/alice && " + command);
  }

  @Test
  @Order(1)
  void lifecycleUnderRealSystemd() throws Exception {
    Exec.Result pull = cli("pull --tls-verify=false docker://" + image);
    assertThat(pull.exitCode()).as(pull.output()).isZero();
    Exec.Result install = cli("install --system --name hello --set STAY=yes " + image);
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.stdout()).contains("systemctl daemon-reload", "systemctl enable hello");
    assertThat(install.stderr()).doesNotContain("systemd is not running");
    verifyUnit("/etc/systemd/system/hello.service");

    assertThat(inside("systemctl", "start", "hello").exitCode()).isZero();
    assertThat(waitActive("hello")).isEqualTo("active");
    assertThat(waitJournal("Hello from the syscontainers sample container hello: Hello, World")).isTrue();
    assertThat(cli("containers list").stdout()).contains("hello").contains("running");
    assertThat(inside("runc", "list").stdout()).contains(ATOMIC + "hello.0");

    Exec.Result update = cli("containers update --set GREETING=Bonjour hello");
    assertThat(update.exitCode()).as(update.output()).isZero();
    assertThat(update.stdout()).contains("systemctl stop hello", "systemctl start hello");
    assertThat(waitActive("hello")).isEqualTo("active");
    assertThat(waitJournal("Hello from the syscontainers sample container hello: Bonjour")).isTrue();
    assertThat(inside("runc", "list").stdout()).contains(ATOMIC + "hello.1");
    verifyUnit("/etc/systemd/system/hello.service");

    Exec.Result rollback = cli("containers rollback hello");
    assertThat(rollback.exitCode()).as(rollback.output()).isZero();
    assertThat(waitActive("hello")).isEqualTo("active");
    assertThat(inside("runc", "list").stdout()).contains(ATOMIC + "hello.0");
  }

  @Test
  @Order(2)
  void aDottedNameOnARemoteRootfs() throws Exception {
    // web.0's deployments are web.0.0 and web.0.1; its rootfs is hello's checkout, used in place. Its runtime is
    // runc with the cgroupfs driver: in this nested host, runc exec cannot join a container that runc started with
    // --systemd-cgroup (it looks for the scope at a doubled cgroup path), whoever calls it
    Exec.Result install =
        cli("install --system --name web.0 --runtime /share/runc-cgroupfs --rootfs " + ATOMIC + "hello.0 --set STAY=yes"
            + " --set GREETING=Remote " + image);
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.stdout()).contains("The remote rootfs for this container is set to be " + ATOMIC + "hello.0/rootfs");
    assertThat(inside("readlink", ATOMIC + "web.0.0/rootfs").stdout().strip()).isEqualTo(ATOMIC + "hello.0/rootfs");
    verifyUnit("/etc/systemd/system/web.0.service");
    assertThat(inside("systemctl", "start", "web.0").exitCode()).isZero();
    assertThat(waitActive("web.0")).isEqualTo("active");
    assertThat(waitJournal("Hello from the syscontainers sample container web.0: Remote")).isTrue();
    assertThat(inside("runc", "list").stdout()).contains(ATOMIC + "web.0.0");
    assertThat(cli("containers list").stdout()).contains("web.0").contains("hello");
    // a command in the running container: runc exec, so PID 1 there is the service's own process
    Exec.Result exec = cli("run web.0 /bin/sh -c 'echo EXEC $CONTAINER_NAME; cat /proc/1/cmdline'");
    assertThat(exec.exitCode()).as(exec.output()).isZero();
    assertThat(exec.stdout()).contains("EXEC web.0").contains("/hello/hello.sh");

    Exec.Result uninstall = cli("uninstall web.0");
    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    assertThat(inside("test", "-e", ATOMIC + "web.0.0").exitCode()).isNotZero();
    assertThat(inside("test", "-e", ATOMIC + "web.0").exitCode()).isNotZero();
    assertThat(inside("test", "-f", ATOMIC + "hello.0/rootfs/hello/hello.sh").exitCode()).as("the remote stays").isZero();
    assertThat(waitActive("hello")).isEqualTo("active");
  }

  @Test
  @Order(3)
  void runOnceImage() throws Exception {
    Exec.Result once = cli("run --storage ostree --tls-verify=false --set GREETING=Once " + onceImage);
    assertThat(once.exitCode()).as(once.output()).isZero();
    assertThat(once.stdout()).contains("Hello from the syscontainers sample container").contains(": Once");
    assertThat(inside("runc", "list").stdout()).doesNotContain("run-once");
    assertThat(inside("sh", "-c", "ls /etc/systemd/system | grep -c once || true").stdout().strip()).isEqualTo("0");
  }

  @Test
  @Order(4)
  void stopAndUninstall() throws Exception {
    assertThat(inside("systemctl", "stop", "hello").exitCode()).isZero();
    assertThat(waitJournal("Goodbye from hello")).isTrue();
    assertThat(cli("containers list").stdout()).doesNotContain("hello");
    assertThat(cli("containers list -a").stdout()).contains("inactive");

    Exec.Result uninstall = cli("uninstall hello");
    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    assertThat(inside("test", "-e", "/etc/systemd/system/hello.service").exitCode()).isNotZero();
    assertThat(inside("test", "-e", ATOMIC + "hello.0").exitCode()).isNotZero();
    assertThat(inside("runc", "list").stdout()).doesNotContain("hello");
  }

  @Test
  @Order(5)
  void userModeAsANonRootUser() throws Exception {
    Exec.Result setup = inside("sh", "-c", USER_SETUP);
    assertThat(setup.exitCode()).as(setup.output()).isZero();
    assertThat(asAlice("systemctl --user is-system-running").stdout()).contains("running");

    Exec.Result system = asAlice(CLI + "install --system --name nope " + image);
    assertThat(system.exitCode()).isNotZero();
    assertThat(system.stderr()).contains("Only root can use --system");

    Exec.Result install = asAlice(CLI + "install --user --name hello --set STAY=yes --tls-verify=false docker://" + image);
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.stdout()).contains("Extracting to /home/alice/.local/share/containers/atomic/hello.0");
    Exec.Result verify = asAlice("systemd-analyze --user verify /home/alice/.config/systemd/user/hello.service");
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(inside("stat", "-c", "%U", "/home/alice/.local/share/containers/atomic/repo/config").stdout().strip())
        .isEqualTo("alice");

    assertThat(asAlice("systemctl --user start hello").exitCode()).isZero();
    String state = "";
    for (int i = 0; i < 30 && !state.equals("active"); i++) {
      state = asAlice("systemctl --user is-active hello").stdout().strip();
      Thread.sleep(state.equals("active") ? 0 : 500);
    }
    assertThat(state).isEqualTo("active");
    assertThat(asAlice(CLI + "containers list").stdout()).contains("hello").contains("running");
    // the container runs rootless: its root is alice outside
    Exec.Result owner = inside("sh", "-c", "stat -c %U /proc/$(cat /run/user/1000/container-hello.pid)");
    assertThat(owner.stdout().strip()).isEqualTo("alice");
    Exec.Result exec = asAlice(CLI + "run hello /bin/sh -c 'echo EXEC $CONTAINER_NAME; id -u'");
    assertThat(exec.exitCode()).as(exec.output()).isZero();
    assertThat(exec.stdout()).contains("EXEC hello").contains("0");

    Exec.Result uninstall = asAlice(CLI + "uninstall hello");
    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    assertThat(inside("test", "-e", "/home/alice/.config/systemd/user/hello.service").exitCode()).isNotZero();
    assertThat(inside("test", "-e", "/home/alice/.local/share/containers/atomic/hello.0").exitCode()).isNotZero();
    assertThat(asAlice("systemctl --user is-active hello").stdout().strip()).isNotEqualTo("active");
  }

  @Test
  @Order(6)
  void onlyTheTrustedRegistrysSignedImagesInstall() throws Exception {
    // on the build machine: a signed image (a cosign attachment) and an unsigned one, each new to the host
    KeyPair key = Cosign.newKey();
    Path share = tmp.resolve("share");
    Files.writeString(share.resolve("cosign.pub"), Cosign.publicPem(key.getPublic()));
    RegistryPusher pusher = new RegistryPusher(registry.address());
    TestImage signed = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("signed", "yes"));
    TestImage unsigned = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("signed", "no"));
    pusher.push("samples/signed", "1", signed);
    pusher.push("samples/unsigned", "1", unsigned);
    String reg = registry.address();
    Cosign.Attachment a = Cosign.attachment(signed.manifest().digest(), List.of(Cosign.sign(key.getPrivate(),
        Cosign.payload(signed.manifest().digest(), reg + "/samples/signed:1"))), null);
    pusher.pushManifest("samples/signed", a.tag(), a.manifest(), a.blobs());

    // on the host: reject by default, trust that key for the registry
    try {
      assertThat(cli("trust default reject").exitCode()).isZero();
      Exec.Result add = cli("trust add --type sigstoreSigned --pubkeys /share/cosign.pub " + reg);
      assertThat(add.exitCode()).as(add.output()).isZero();
      Exec.Result ok = cli("install --system --name signed --tls-verify=false docker://" + reg + "/samples/signed:1");
      assertThat(ok.exitCode()).as(ok.output()).isZero();
      verifyUnit("/etc/systemd/system/signed.service");
      Exec.Result refused = cli("install --system --name unsigned --tls-verify=false docker://" + reg
          + "/samples/unsigned:1");
      assertThat(refused.exitCode()).isNotZero();
      assertThat(Launcher.lines(refused.stderr())).singleElement().asString()
          .contains("no sigstore signature of the image satisfies");
      assertThat(inside("test", "-e", "/etc/systemd/system/unsigned.service").exitCode()).isNotZero();
      assertThat(inside("test", "-e", ATOMIC + "unsigned.0").exitCode()).isNotZero();
      assertThat(registry.log().lines().filter(l -> l.contains("\"GET /v2/samples/unsigned/blobs/")).toList())
          .isEmpty();
      assertThat(cli("uninstall signed").exitCode()).isZero();
    } finally {
      inside("rm", "-rf", "/etc/containers");
    }
  }

  private void verifyUnit(String unit) throws Exception {
    Exec.Result v = inside("systemd-analyze", "verify", unit);
    assertThat(v.exitCode()).as(v.output()).isZero();
  }

  private String waitActive(String unit) throws Exception {
    String state = "";
    for (int i = 0; i < 30; i++) {
      state = inside("systemctl", "is-active", unit).stdout().strip();
      if (state.equals("active")) {
        return state;
      }
      Thread.sleep(500);
    }
    return state;
  }

  /**
   * Waits for {@code text} in the journal since this run began: what the service printed, as systemd captured it
   * (the runtime that started it is the writer; the unit is named in {@code text}).
   */
  private boolean waitJournal(String text) throws Exception {
    for (int i = 0; i < 30; i++) {
      Exec.Result j = inside("journalctl", "--since", since, "--no-pager", "-o", "cat");
      if (j.stdout().contains(text)) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }
}
