package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 33: {@code auto-update} on a real systemd host (../shared/tools/systemd-host, as {@link SystemdHostIT}), from a
 * real docker-registry. The image is a small service that writes its version to {@code /state/version} (bound from the
 * host's {@code /var/lib/app}) when it starts, and whose manifest.json names a health check run in the container.
 * In order: installed with the registry policy; a good update stays; one whose service exits 1 and one that runs but
 * fails its health check are rolled back and the previous version serves again (the test reads what the service
 * itself wrote), and a containers update meanwhile is refused by the container's lock; a digest rolled back is not tried again; a registry that fails mid-update switches nothing; SIGKILL
 * at each step (after the fetch, during the deploy, after the switch, during the health wait, during the rollback)
 * and the next run ends consistent; the whole host killed during the deploy boots the old version, and the next run
 * finishes; the timer and service pass systemd-analyze verify, and starting the service
 * updates the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoUpdateIT {
  static final String CLI = SystemdHostIT.CLI;
  static final String ATOMIC = SystemdHostIT.ATOMIC;
  static final String VERSION_FILE = "/var/lib/app/version";

  Path tmp;
  Path tool;
  Path example;
  DockerRegistry registry;
  RegistryPusher pusher;
  String tag;
  int versions;

  @BeforeAll
  void boot() throws Exception {
    Peers.requireRoot();
    Peers.require("runc");
    Peers.require("debootstrap");
    tool = SystemdHostIT.tool();
    tmp = Files.createTempDirectory("auto-update-it");
    Path share = Files.createDirectories(tmp.resolve("share"));
    // the health check runs with runc exec, which needs the cgroupfs driver in this nested host
    SystemdHostIT.cgroupfsRuntime(share);
    registry = DockerRegistry.start(tmp.resolve("registry"));
    pusher = new RegistryPusher(registry.address());
    tag = registry.address() + "/auto/app:stable";
    example = tmp.resolve("app");
    Exec.Result up =
        Exec.run(
            List.of(
                tool.toString(), "up", SystemdHostIT.STATE.toString(), "--bind", Launcher.TOP + ":/src:ro", "--bind",
                "/etc/java-17-openjdk:/etc/java-17-openjdk:ro", "--bind", share + ":/share"));
    assertThat(up.exitCode()).as(up.output()).isZero();
    Exec.Result reset =
        inside("sh", "-c",
            "systemctl disable --now app syscontainers-auto-update.timer 2>/dev/null; runc delete -f app 2>/dev/null;"
                + " rm -rf " + ATOMIC + " /etc/systemd/system/app.service /etc/tmpfiles.d/app.conf /var/lib/app"
                + " /etc/systemd/system/syscontainers-auto-update.* && systemctl daemon-reload"
                + " && systemctl reset-failed");
    assertThat(reset.exitCode()).as(reset.output()).isZero();
  }

  @AfterAll
  void shutDown() throws Exception {
    if (tool != null) {
      inside("sh", "-c", "systemctl disable --now app syscontainers-auto-update.timer; runc delete -f app");
      Exec.run(List.of(tool.toString(), "down", SystemdHostIT.STATE.toString()));
    }
    if (registry != null) {
      registry.close();
    }
  }

  enum Kind {
    GOOD,
    EXITS,
    UNHEALTHY
  }

  /** Builds and pushes a new version to the tag; returns its version word. */
  String publish(Kind kind) throws Exception {
    String version = "v" + (++versions) + "-" + kind.name().toLowerCase(java.util.Locale.ROOT);
    pusher.push("auto/app", "stable", image(version, kind));
    return version;
  }

  TestImage image(String version, Kind kind) throws Exception {
    if (Files.exists(example)) {
      io.github.syscontainers.checkout.FileTrees.deleteRecursively(example);
    }
    Path rootfs = Files.createDirectories(example.resolve("rootfs"));
    Path exports = Files.createDirectories(rootfs.resolve("exports"));
    Path from = Launcher.TOP.resolve("examples/hello/rootfs/exports");
    Files.copy(from.resolve("service.template"), exports.resolve("service.template"));
    Files.copy(from.resolve("tmpfiles.template"), exports.resolve("tmpfiles.template"));
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(from.resolve("config.json.template").toFile());
    ObjectNode state = ((ArrayNode) config.path("mounts")).addObject();
    state.put("destination", "/state");
    state.put("type", "bind");
    state.put("source", "${STATE_DIRECTORY}/${NAME}");
    state.putArray("options").add("rbind").add("rw");
    ((ArrayNode) config.path("process").path("args")).removeAll().add("/app/run.sh");
    Files.writeString(exports.resolve("config.json.template"), json.writeValueAsString(config));
    Files.writeString(
        exports.resolve("manifest.json"),
        "{\"version\": \"1.0\", \"defaultValues\": {\"GREETING\": \"hi\", \"STAY\": \"yes\"},\n"
            + " \"healthCheck\": {\"command\": [\"/app/healthy\"], \"on\": \"container\", \"timeout\": 5,"
            + " \"retries\": 2, \"interval\": 0.5, \"startPeriod\": 3}}\n");
    Files.createDirectories(rootfs.resolve("state"));
    Path app = Files.createDirectories(rootfs.resolve("app"));
    Files.writeString(
        app.resolve("run.sh"),
        "#!/bin/sh\necho \"auto-update sample $CONTAINER_NAME " + version + " starting\"\n"
            + (kind == Kind.EXITS ? "exit 1\n" : "")
            + "echo " + version + " > /state/version\n"
            + "trap 'exit 0' TERM INT\nwhile :; do sleep 1 & wait $!; done\n");
    Files.writeString(app.resolve("healthy"), "#!/bin/sh\nexit " + (kind == Kind.UNHEALTHY ? 1 : 0) + "\n");
    for (String f : List.of("run.sh", "healthy")) {
      Files.setPosixFilePermissions(app.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return SampleImage.build(example);
  }

  Exec.Result inside(String... cmd) throws Exception {
    List<String> argv = new ArrayList<>(List.of(tool.toString(), "exec", SystemdHostIT.STATE.toString()));
    argv.addAll(List.of(cmd));
    return Exec.run(argv);
  }

  Exec.Result cli(String args) throws Exception {
    return inside("sh", "-c", CLI + args);
  }

  Exec.Result autoUpdate(String more) throws Exception {
    return cli("auto-update --tls-verify=false --settle 2s " + more);
  }

  /** The version the running service wrote when it started, once it has (the file is removed before a switch). */
  String served() throws Exception {
    for (int i = 0; i < 40; i++) {
      Exec.Result r = inside("cat", VERSION_FILE);
      if (r.exitCode() == 0 && !r.stdout().isBlank()) {
        return r.stdout().strip();
      }
      Thread.sleep(250);
    }
    return "(nothing written)";
  }

  void forgetServed() throws Exception {
    assertThat(inside("rm", "-f", VERSION_FILE).exitCode()).isZero();
  }

  String active() throws Exception {
    return inside("readlink", ATOMIC + "app").stdout().strip();
  }

  JsonNode results(Exec.Result r) throws Exception {
    return new ObjectMapper().readTree(r.stdout());
  }

  @Test
  @Order(1)
  void installWithTheRegistryPolicy() throws Exception {
    String v1 = publish(Kind.GOOD);
    Exec.Result install =
        cli("install --system --name app --runtime /share/runc-cgroupfs --set io.containers.autoupdate=registry"
            + " --tls-verify=false " + tag);
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(inside("systemctl", "start", "app").exitCode()).isZero();
    assertThat(served()).isEqualTo(v1);
    Exec.Result list = cli("containers list --json");
    assertThat(results(list).get(0).path("auto_update").asText()).as(list.output()).isEqualTo("registry");
    assertThat(inside("grep", "-q", "\"auto-update\": \"registry\"", ATOMIC + "app.0/info").exitCode()).isZero();

    Exec.Result check = autoUpdate("--dry-run --json");
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(results(check).get(0).path("status").asText()).isEqualTo("up to date");
  }

  @Test
  @Order(2)
  void aGoodUpdateStays() throws Exception {
    String v2 = publish(Kind.GOOD);
    Exec.Result dry = autoUpdate("--dry-run --json");
    assertThat(dry.exitCode()).as(dry.output()).isZero();
    assertThat(results(dry).get(0).path("status").asText()).isEqualTo("pending");
    assertThat(active()).as("a dry run switches nothing").isEqualTo("app.0");

    forgetServed();
    Exec.Result run = autoUpdate("--json");
    assertThat(run.exitCode()).as(run.output()).isZero();
    JsonNode r = results(run).get(0);
    assertThat(r.path("status").asText()).as(run.output()).isEqualTo("updated");
    assertThat(r.path("to").asText()).startsWith("sha256:");
    assertThat(served()).isEqualTo(v2);
    assertThat(active()).isEqualTo("app.1");
    assertThat(inside("systemctl", "is-active", "app").stdout().strip()).isEqualTo("active");
  }

  @Test
  @Order(3)
  void aServiceThatExitsIsRolledBackAndNotTriedAgain() throws Exception {
    String before = served();
    publish(Kind.EXITS);
    forgetServed();
    Exec.Result run = autoUpdate("");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.stdout()).contains("rolled back");
    // seen failed, waiting to be restarted, running its stop commands or stopped (the unit runs runc run -d, whose
    // own exit is a success): each is named, with the result systemd gives
    assertThat(run.stderr()).containsPattern("app: rolled back: new: app('s service exited| stopped| failed)"
        + " \\(result [a-z-]+, exit status \\d+\\)");
    assertThat(served()).as("the previous version serves again").isEqualTo(before);
    assertThat(active()).isEqualTo("app.1");

    Exec.Result again = autoUpdate("--json");
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(results(again).get(0).path("status").asText()).isEqualTo("skipped");
  }

  @Test
  @Order(4)
  void aServiceThatFailsItsHealthCheckIsRolledBack() throws Exception {
    String before = served();
    publish(Kind.UNHEALTHY);
    forgetServed();
    // while this update waits out the check's start period, containers update on the same container is refused
    java.util.concurrent.CompletableFuture<Exec.Result> running =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return autoUpdate("");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Thread.sleep(2500);
    Exec.Result concurrent = cli("containers update app");
    Exec.Result run = running.get();
    assertThat(concurrent.exitCode()).as(concurrent.output()).isNotZero();
    assertThat(concurrent.stderr())
        .contains("Another syscontainers command is changing the container app right now");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.stderr()).contains("the health check /app/healthy failed (exit status 1)")
        .contains("past its start period of 3.0 s");
    assertThat(served()).isEqualTo(before);
    assertThat(active()).isEqualTo("app.1");
  }

  @Test
  @Order(5)
  void aRegistryFailingMidUpdateSwitchesNothing() throws Exception {
    String before = served();
    publish(Kind.GOOD);
    // the new layer's blob goes from the registry's storage: the manifest and config still answer, the layer does not
    String layer = new ObjectMapper().readTree(
            Exec.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + tag)).stdout())
        .path("layers").get(0).path("digest").asText().substring("sha256:".length());
    Path data;
    try (Stream<Path> walk = Files.walk(tmp.resolve("registry"))) {
      data = walk.filter(p -> p.toString().endsWith("/blobs/sha256/" + layer.substring(0, 2) + "/" + layer + "/data"))
          .findFirst().orElseThrow();
    }
    Files.delete(data);
    Exec.Result run = autoUpdate("");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.stderr()).contains("app: failed: Could not fetch").contains("nothing was changed");
    assertThat(active()).isEqualTo("app.1");
    assertThat(served()).isEqualTo(before);
    assertThat(inside("systemctl", "is-active", "app").stdout().strip()).isEqualTo("active");
    assertThat(inside("test", "-e", ATOMIC + ".auto-update/app").exitCode()).as("no step left recorded").isNotZero();
  }

  /** SIGKILL at {@code step} while updating to a good version; the next run finishes the update. */
  void killedAtThenFinished(String step) throws Exception {
    String before = active();
    String next = publish(Kind.GOOD);
    // after the switch the new version is already running when the run is killed: it writes its version once
    forgetServed();
    Exec.Result killed = inside("sh", "-c", "SYSCONTAINERS_CRASH_AT=" + step + " " + CLI
        + "auto-update --tls-verify=false --settle 2s");
    assertThat(killed.exitCode()).as(step + ": " + killed.output()).isEqualTo(137);
    assertThat(inside("test", "-f", ATOMIC + ".auto-update/app").exitCode()).as(step + ": the step is on disk")
        .isZero();
    Exec.Result run = autoUpdate("--json");
    assertThat(run.exitCode()).as(step + ": " + run.output()).isZero();
    assertThat(results(run).get(0).path("status").asText()).as(step + ": " + run.output()).isEqualTo("updated");
    assertThat(served()).as(step).isEqualTo(next);
    assertThat(active()).as(step).isNotEqualTo(before);
    assertThat(inside("systemctl", "is-active", "app").stdout().strip()).as(step).isEqualTo("active");
    assertThat(inside("test", "-e", ATOMIC + ".auto-update/app").exitCode()).as(step).isNotZero();
  }

  @Test
  @Order(6)
  void killedAfterTheFetch() throws Exception {
    killedAtThenFinished("fetched");
  }

  @Test
  @Order(7)
  void killedDuringTheDeploy() throws Exception {
    killedAtThenFinished("deploying");
  }

  @Test
  @Order(8)
  void killedAfterTheSwitch() throws Exception {
    killedAtThenFinished("switched");
  }

  @Test
  @Order(9)
  void killedDuringTheHealthWait() throws Exception {
    killedAtThenFinished("health-wait");
  }

  @Test
  @Order(10)
  void killedDuringTheRollback() throws Exception {
    String before = served();
    String slot = active();
    publish(Kind.EXITS);
    Exec.Result killed = inside("sh", "-c", "SYSCONTAINERS_CRASH_AT=rolling-back " + CLI
        + "auto-update --tls-verify=false --settle 2s");
    assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
    forgetServed();
    Exec.Result run = autoUpdate("--json");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(results(run).get(0).path("status").asText()).isEqualTo("rolled back");
    assertThat(served()).isEqualTo(before);
    assertThat(active()).isEqualTo(slot);
    assertThat(inside("systemctl", "is-active", "app").stdout().strip()).isEqualTo("active");
  }

  /**
   * Power lost during the deploy (the service stopped, the new deployment written, not switched): the whole host is
   * killed and booted again; systemd starts the old version, as its unit and symlink still say, and the next run
   * undoes the half-done deploy and updates.
   */
  @Test
  @Order(11)
  void aHostKilledDuringTheDeployBootsTheOldVersionAndTheNextRunFinishes() throws Exception {
    String before = served();
    String slot = active();
    String next = publish(Kind.GOOD);
    Process paused = new ProcessBuilder(tool.toString(), "exec", SystemdHostIT.STATE.toString(), "sh", "-c",
        "SYSCONTAINERS_CRASH_AT=deploying:pause " + CLI + "auto-update --tls-verify=false --settle 2s")
        .redirectErrorStream(true).start();
    try {
      boolean reached = false;
      for (int i = 0; i < 120 && !reached; i++) {
        reached = inside("grep", "-q", "\"step\":\"deploying\"", ATOMIC + ".auto-update/app").exitCode() == 0
            && inside("systemctl", "is-active", "app").stdout().strip().equals("inactive");
        Thread.sleep(250);
      }
      assertThat(reached).as("the update reached its deploy, the service stopped").isTrue();
      Thread.sleep(1000); // the new deployment is written before the pause: let it be
      Exec.Result down = Exec.run(List.of(tool.toString(), "down", SystemdHostIT.STATE.toString()));
      assertThat(down.exitCode()).as(down.output()).isZero();
    } finally {
      paused.destroyForcibly();
    }
    forgetServedOnDisk();
    Exec.Result up = Exec.run(List.of(tool.toString(), "up", SystemdHostIT.STATE.toString(), "--bind",
        Launcher.TOP + ":/src:ro", "--bind", "/etc/java-17-openjdk:/etc/java-17-openjdk:ro", "--bind",
        tmp.resolve("share") + ":/share"));
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(served()).as("the boot started the version the unit and symlink still named").isEqualTo(before);
    assertThat(active()).isEqualTo(slot);

    forgetServed();
    Exec.Result run = autoUpdate("--json");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.stderr()).contains("Found an interrupted auto-update of app at the step deploying");
    assertThat(results(run).get(0).path("status").asText()).isEqualTo("updated");
    assertThat(served()).isEqualTo(next);
    assertThat(active()).isNotEqualTo(slot);
  }

  /** Removes the version file from the stopped host's disk. */
  void forgetServedOnDisk() throws Exception {
    Files.deleteIfExists(SystemdHostIT.STATE.resolve("rootfs" + VERSION_FILE));
  }

  @Test
  @Order(12)
  void theTimerIsValidAndItsServiceUpdates() throws Exception {
    Exec.Result install = cli("auto-update --install-timer --randomized-delay 1m");
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.stdout()).contains("systemctl enable syscontainers-auto-update.timer");
    for (String unit : List.of("syscontainers-auto-update.service", "syscontainers-auto-update.timer")) {
      Exec.Result v = inside("systemd-analyze", "verify", "/etc/systemd/system/" + unit);
      assertThat(v.exitCode()).as(unit + ": " + v.output()).isZero();
    }
    assertThat(inside("cat", "/etc/systemd/system/syscontainers-auto-update.timer").stdout())
        .contains("Persistent=true", "RandomizedDelaySec=60");
    assertThat(inside("systemctl", "is-enabled", "syscontainers-auto-update.timer").stdout().strip())
        .isEqualTo("enabled");
    assertThat(inside("systemctl", "list-timers", "--all", "--no-pager").stdout())
        .contains("syscontainers-auto-update.timer");

    // unattended, there is no --tls-verify=false: the host says the registry is plain HTTP, as it would for podman
    Exec.Result conf = inside("sh", "-c", "mkdir -p /etc/containers && printf '[[registry]]\\nlocation = \"%s\"\\n"
        + "insecure = true\\n' " + registry.address() + " > /etc/containers/registries.conf");
    assertThat(conf.exitCode()).as(conf.output()).isZero();
    String next = publish(Kind.GOOD);
    forgetServed();
    try {
      Exec.Result fired = inside("systemctl", "start", "syscontainers-auto-update.service");
      assertThat(fired.exitCode()).as(fired.output()).isZero();
    } finally {
      inside("rm", "-rf", "/etc/containers");
    }
    assertThat(served()).isEqualTo(next);
    Exec.Result journal =
        inside("journalctl", "-u", "syscontainers-auto-update.service", "--no-pager", "-o", "cat", "-n", "200");
    assertThat(journal.stdout()).as("the container and both digests are in the journal")
        .containsPattern("app updated from sha256:[0-9a-f]{64} to sha256:[0-9a-f]{64}");
  }
}
