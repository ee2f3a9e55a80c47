package io.github.syscontainers.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.api.ArchiveFormat;
import io.github.syscontainers.api.Checked;
import io.github.syscontainers.api.ContainerSummary;
import io.github.syscontainers.api.ContainerUpdate;
import io.github.syscontainers.api.Copied;
import io.github.syscontainers.api.Downloaded;
import io.github.syscontainers.api.ImageDeletion;
import io.github.syscontainers.api.ImageDetails;
import io.github.syscontainers.api.ImageSummary;
import io.github.syscontainers.api.ImageUpdate;
import io.github.syscontainers.api.KeyPair;
import io.github.syscontainers.api.LintFinding;
import io.github.syscontainers.api.Pruned;
import io.github.syscontainers.api.Pulled;
import io.github.syscontainers.api.Ran;
import io.github.syscontainers.api.Signature;
import io.github.syscontainers.api.Sources;
import io.github.syscontainers.api.SystemContainers;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.api.TrustEntry;
import io.github.syscontainers.api.Verified;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.GpgHome;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.model.UpdateStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 34: every call of the facade that {@link SystemContainersExtensionIT} does not make, made on the root of a
 * container the extension installed, in the order a user would: run it once, look at it, check it, move its image
 * around (archives, a real docker-registry, the store), sign and trust, and the calls that need no root.
 */
@WithSystemContainers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FacadeCallsIT {
  static final Path TOP = Path.of(System.getProperty("user.dir")).getParent();
  static final Path ARCHIVES;

  static {
    try {
      ARCHIVES = Files.createTempDirectory("facade-calls-it");
      SampleImage.build(TOP.resolve("examples/hello")).writeOciArchive(ARCHIVES.resolve("hello.tar"), "1");
      SampleImage.build(TOP.resolve("examples/hello"), Map.of("version", "2"))
          .writeOciArchive(ARCHIVES.resolve("hello-2.tar"), "2");
      System.setProperty("facade.hello", ARCHIVES.resolve("hello.tar").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SystemContainer(image = "oci-archive:${facade.hello}", name = "web", set = "GREETING=Hi")
  static ContainerUnderTest web;

  static DockerRegistry registry;
  static SystemContainers sc;

  @BeforeAll
  static void peers(@TempDir Path tmp) throws Exception {
    Peers.requireRoot();
    Peers.require("runc");
    Peers.require("docker-registry");
    registry = DockerRegistry.start(tmp.resolve("registry"));
    sc = web.system();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  static Sources plainHttp() {
    return Sources.defaults().withTlsVerify(false);
  }

  @Test
  @Order(1)
  void runOnceCapturesTheOutputOfItsOwnProcessAndOfACommand() throws Exception {
    Ran own = web.run();
    assertThat(own.exitCode()).as(own.stderr()).isZero();
    assertThat(own.stdout()).contains("Hello from the syscontainers sample container web: Hi");
    Ran failing = web.run("/bin/sh", "-c", "echo out; echo oops >&2; exit 3");
    assertThat(failing.exitCode()).isEqualTo(3);
    assertThat(failing.stdout()).isEqualTo("out\n");
    assertThat(failing.stderr()).contains("oops");
  }

  @Test
  @Order(2)
  void listsContainersAndStopsOneWhereSystemdDoesNotRun() throws Exception {
    List<ContainerSummary> all = sc.listContainers().setAll(true).call();
    assertThat(all).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("web");
      assertThat(c.image()).isEqualTo("hello:1");
      assertThat(c.command()).isEqualTo("/hello/hello.sh");
    });
    List<String> said = new java.util.ArrayList<>();
    SystemContainers.builder().root(web.root()).messages(m -> said.add(m.text())).build()
        .stop().setName("web").setDisplay(true).call();
    assertThat(said).containsExactly("systemctl stop web");
    assertThatThrownBy(() -> sc.stop().setName("nothere").call()).isInstanceOf(SystemContainersException.class)
        .hasMessageContaining("nothere");
  }

  @Test
  @Order(3)
  void verifyFsckMountAndUnmount(@TempDir Path tmp) throws Exception {
    Verified v = sc.verify().setName("web").call();
    assertThat(v.ok()).isTrue();
    assertThat(v.modified()).isEmpty();
    assertThat(v.image()).isEqualTo("hello:1");
    Checked c = sc.fsck().call();
    assertThat(c.problems()).isEmpty();
    assertThat(c.objectsChecked()).isPositive();
    Path dir = Files.createDirectories(tmp.resolve("mnt"));
    sc.mount().setSource("hello:1").setDirectory(dir).call();
    assertThat(dir.resolve("hello/hello.sh")).isRegularFile();
    sc.mount().setDirectory(dir).unmount();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  @Order(4)
  void listsInspectsTagsDeletesAndPrunesImages() throws Exception {
    assertThat(sc.listImages().call()).extracting(ImageSummary::name, ImageSummary::used)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hello:1", true));
    ImageDetails d = sc.imageInfo().setImage("hello:1").call();
    assertThat(d.labels()).containsEntry("atomic.type", "system");
    assertThat(d.defaults()).containsEntry("GREETING", "Hello, World");
    assertThat(d.source()).isPresent();
    sc.tagImage().setSource("hello:1").setTarget("hello:copy").call();
    assertThat(sc.listImages().call()).extracting(ImageSummary::name).contains("hello:copy");
    List<ImageDeletion> gone = sc.deleteImages().addImage("hello:copy").call();
    assertThat(gone).extracting(ImageDeletion::image).containsExactly("hello:copy");
    assertThat(sc.listImages().call()).extracting(ImageSummary::name).containsExactly("hello:1");
    Pruned p = sc.prune().call();
    assertThat(p.failures()).isEmpty();
    assertThat(web.run().exitCode()).as("the container's image survives the prune").isZero();
  }

  @Test
  @Order(5)
  void savesPushesAndCopiesThroughARealRegistry(@TempDir Path tmp) throws Exception {
    List<Copied> saved = sc.save().addImage("hello:1").setOutput(tmp.resolve("saved.tar"))
        .setFormat(ArchiveFormat.DOCKER_ARCHIVE).call();
    assertThat(saved).singleElement().satisfies(c -> assertThat(c.manifestDigest()).isPresent());
    assertThat(tmp.resolve("saved.tar")).isNotEmptyFile();
    String one = "docker://" + registry.address() + "/hello:1";
    Copied pushed = sc.push().setImage("hello:1").setDestination(one).setSources(plainHttp()).call();
    assertThat(pushed.blobs()).isNotEmpty();
    Copied two = sc.copy().setSource("oci-archive:" + ARCHIVES.resolve("hello-2.tar"))
        .setDestination("docker://" + registry.address() + "/hello:2").setDestTlsVerify(false).call();
    assertThat(two.manifestKept()).as("the archive's layers go as they are").isTrue();
    Copied intoStore = sc.copy().setSource("docker://" + registry.address() + "/hello:2").setSrcTlsVerify(false)
        .setDestination("ostree:hello-two:2").call();
    assertThat(intoStore.storedImageId()).isPresent();
    assertThat(sc.listImages().call()).extracting(ImageSummary::name).contains("hello-two:2");
    Pulled pulled = sc.pull().setImage(registry.address() + "/hello:1").setTlsVerify(false).call();
    List<ImageUpdate> updates = sc.updateImages().setSources(plainHttp()).call();
    assertThat(updates).extracting(ImageUpdate::image).contains(pulled.name());
    assertThat(updates).filteredOn(u -> u.image().equals(pulled.name())).singleElement()
        .satisfies(u -> assertThat(u.after()).isEqualTo(u.before()));
  }

  @Test
  @Order(6)
  void downloadsAheadAndUpdatesEveryContainer() throws Exception {
    List<Downloaded> ahead = sc.download().setName("web").setRebase(registry.address() + "/hello:2")
        .setSources(plainHttp()).call();
    assertThat(ahead).singleElement().satisfies(d -> assertThat(d.container()).isEqualTo("web"));
    List<ContainerUpdate> all = sc.updateAll().call();
    assertThat(all).singleElement().satisfies(u -> {
      assertThat(u.container()).isEqualTo("web");
      assertThat(u.status()).isIn(UpdateStatus.UPDATED, UpdateStatus.NOT_UPDATED, UpdateStatus.UPDATED_NOW);
    });
    assertThat(web.run().stdout()).contains("Hi");
  }

  @Test
  @Order(7)
  void signsAnArchiveAndTrustsOnlyThatKey(@TempDir Path tmp) throws Exception {
    Peers.require("gpg");
    Path archive = tmp.resolve("app.tar");
    sc.save().addImage("hello:1").setOutput(archive).call();
    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"))) {
      String key = gpg.newKey("Release <release@example.com>", "ed25519", null, "never");
      Path secret = gpg.exportSecretArmored(tmp.resolve("release.key"), key, "");
      Path sigs = Files.createDirectories(tmp.resolve("sigs"));
      String image = "docker-archive:" + archive + ":hello:1";
      List<Signature> signed = sc.sign().addImage(image).setSignBy(secret.toString()).setDirectory(sigs).call();
      assertThat(signed).singleElement().satisfies(s -> {
        assertThat(s.location()).startsWith(sigs.toString());
        assertThat(s.identity()).contains("hello:1");
      });
      // the key as the host has it: a file under its root, named in policy.json by its path on the host
      Files.createDirectories(web.root().resolve("etc/pki/containers"));
      gpg.exportArmored(web.root().resolve("etc/pki/containers/release.asc"), key);
      String pub = "/etc/pki/containers/release.asc";
      sc.trust().setDefault(false);
      sc.trust().add().setRegistry("*").setSigstoreType("docker-archive").addPubkeysFile(pub).call();
      assertThat(sc.trust().show()).extracting(TrustEntry::scope, TrustEntry::type).contains(
          org.assertj.core.groups.Tuple.tuple("* (default)", "reject"),
          org.assertj.core.groups.Tuple.tuple("* (docker-archive)", "signedBy"));
      assertThat(sc.trust().showRaw()).contains("\"keyPath\"", pub);
      assertThatThrownBy(() -> sc.pull().setImage(image).call()).isInstanceOf(SystemContainersException.class)
          .hasMessageContaining("it has none");
      Pulled accepted =
          sc.pull().setImage(image).setSources(Sources.defaults().withSignatureDir(Optional.of(sigs))).call();
      assertThat(accepted.name()).isEqualTo("docker.io/library/hello:1");
      assertThat(sc.imageInfo().setImage(accepted.name()).call().trust()).contains("signed by key", "docker-archive");
      sc.trust().delete("*", "docker-archive", false);
      assertThat(sc.trust().show()).extracting(TrustEntry::scope).doesNotContain("* (docker-archive)");
      sc.trust().reset();
      assertThat(sc.trust().show()).extracting(TrustEntry::type).containsOnly("insecureAcceptAnything");
    }
  }

  @Test
  @Order(8)
  void theCallsThatNeedNoRoot(@TempDir Path tmp) throws Exception {
    KeyPair keys = SystemContainers.generateSigstoreKey().setOutputPrefix(tmp.resolve("cosign"))
        .setPassphrase("secret".toCharArray()).call();
    assertThat(keys.publicKey()).isRegularFile();
    assertThat(Files.readString(keys.privateKey())).contains("ENCRYPTED SIGSTORE PRIVATE KEY");
    // the templates sit beside the Dockerfile, as in the collection's images; a plain config.json takes no values
    Path image = Files.createDirectories(tmp.resolve("image"));
    Files.writeString(image.resolve("Dockerfile"), "FROM scratch\nCOPY config.json /exports/\n");
    Files.writeString(image.resolve("config.json"), "{}");
    List<LintFinding> findings = SystemContainers.lint().setDirectory(tmp.resolve("image")).call();
    assertThat(findings).filteredOn(LintFinding::error).extracting(LintFinding::location).contains("config.json");
  }

  @Test
  @Order(9)
  void writesTheAutoUpdateUnitsIntoTheRoot() throws Exception {
    List<String> said = new java.util.ArrayList<>();
    SystemContainers.builder().root(web.root()).messages(m -> said.add(m.text())).build()
        .installAutoUpdateTimer(List.of("/usr/bin/syscontainers"), "daily", java.time.Duration.ofMinutes(15));
    Path units = web.root().resolve("etc/systemd/system");
    assertThat(Files.readString(units.resolve("syscontainers-auto-update.service")))
        .contains("Type=oneshot", "ExecStart=/usr/bin/syscontainers auto-update");
    assertThat(Files.readString(units.resolve("syscontainers-auto-update.timer")))
        .contains("OnCalendar=daily", "RandomizedDelaySec=900", "Persistent=true");
    assertThat(said).contains("Created file /etc/systemd/system/syscontainers-auto-update.timer");
  }
}
