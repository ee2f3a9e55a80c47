package io.github.syscontainers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 34: the facade's calls, in the order a program makes them, on the sample image of examples/hello as an
 * oci-archive, in an alternate root (no systemd needed): pull, install, read back, update, roll back, auto-update
 * (local policy), uninstall; and the failures a program meets first.
 */
class SystemContainersIT {
  static final Path TOP = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path tmp;
  Path archive;
  List<Message> messages = new ArrayList<>();
  SystemContainers sc;

  @BeforeEach
  void setUp() throws Exception {
    Peers.requireRoot();
    archive = tmp.resolve("hello.tar");
    SampleImage.build(TOP.resolve("examples/hello")).writeOciArchive(archive, "1");
    sc = SystemContainers.builder().root(tmp.resolve("root")).messages(messages::add).build();
  }

  @Test
  void theCommonCallsInOrder() throws Exception {
    Pulled pulled = sc.pull().setImage("oci-archive:" + archive).call();
    assertThat(pulled.name()).isEqualTo("hello:1");
    assertThat(pulled.layers()).hasSize(1);
    assertThat(pulled.manifestDigest()).isPresent().get().extracting(d -> d.hex()).isEqualTo(pulled.imageId());

    Installed hello = sc.install().setImage(pulled.name()).setName("hello").setValue("GREETING", "Bonjour")
        .setValue("io.containers.autoupdate", "local").call();
    assertThat(hello.deployment()).isEqualTo(sc.checkoutDirectory().resolve("hello.0"));
    assertThat(hello.slot()).isZero();
    assertThat(hello.rootfs().resolve("hello/hello.sh")).isRegularFile();
    assertThat(hello.configJson()).contains("\"GREETING=Bonjour\"");
    assertThat(hello.unit()).get().asString().contains("ExecStart=").contains("Description=syscontainers sample");
    assertThat(hello.tmpfiles()).get().asString().startsWith("d /var/lib/hello 0755");
    assertThat(hello.values()).containsEntry("GREETING", "Bonjour");
    assertThat(hello.autoUpdate()).contains("local");
    assertThat(hello.info()).contains("\"image\": \"hello:1\"");
    assertThat(messages).extracting(Message::text).contains("Extracting to /var/lib/containers/atomic/hello.0");
    assertThat(sc.containers()).extracting(Installed::name).containsExactly("hello");

    Updated same = sc.update().setName("hello").call();
    assertThat(same.changed()).isFalse();
    Updated greeted = sc.update().setName("hello").setValue("GREETING", "Hola").call();
    assertThat(greeted.changed()).isTrue();
    assertThat(greeted.container().slot()).isEqualTo(1);
    assertThat(greeted.container().configJson()).contains("\"GREETING=Hola\"");

    RolledBack back = sc.rollback().setName("hello").call();
    assertThat(back.container().slot()).isZero();
    assertThat(back.container().values()).containsEntry("GREETING", "Bonjour");

    List<AutoUpdated> checked = sc.autoUpdate().setDryRun(true).call();
    assertThat(checked).singleElement().satisfies(r -> {
      assertThat(r.container()).isEqualTo("hello");
      assertThat(r.policy()).isEqualTo("local");
      assertThat(r.status()).isEqualTo("up to date");
    });

    assertThat(sc.uninstall().setName("hello").call()).isEqualTo("hello");
    assertThat(sc.containers()).isEmpty();
    assertThat(Files.exists(sc.checkoutDirectory().resolve("hello.0"))).isFalse();
  }

  @Test
  void everyWayAnInstallEndsIsAnOutcome() throws Exception {
    InstallOutcome shown = sc.install().setImage("oci-archive:" + archive).setName("shown").setDisplay(true).outcome();
    assertThat(shown.status()).isEqualTo(InstallOutcome.Status.DISPLAYED);
    assertThat(shown.installed()).isEmpty();
    assertThat(sc.containers()).isEmpty();
    assertThat(messages).extracting(Message::text).contains("Extracting to /var/lib/containers/atomic/shown.0");

    InstallOutcome made = sc.install().setImage("oci-archive:" + archive).setName("web").setValue("GREETING=Hi")
        .setHealthCheck(List.of("/bin/sh", "-c", "true"), true, java.time.Duration.ofSeconds(2), 2,
            java.time.Duration.ofMillis(500), java.time.Duration.ZERO)
        .outcome();
    assertThat(made.status()).isEqualTo(InstallOutcome.Status.INSTALLED);
    assertThat(made.exitCode()).isZero();
    assertThat(made.installed().orElseThrow().configJson()).contains("\"GREETING=Hi\"");
    assertThat(made.installed().orElseThrow().info()).contains("\"health-check\"").contains("\"on\": \"host\"");

    InstallOutcome again = sc.install().setImage("oci-archive:" + archive).setName("web").outcome();
    assertThat(again.status()).isEqualTo(InstallOutcome.Status.ALREADY_PRESENT);
    assertThat(again.exitCode()).isZero();

    assertThatThrownBy(() -> sc.install().setImage("oci-archive:" + archive).setName("bad")
        .setHealthCheck(List.of("true"), false, java.time.Duration.ZERO, 1, java.time.Duration.ZERO,
            java.time.Duration.ZERO).call())
        .isInstanceOf(SystemContainersException.class)
        .hasMessageStartingWith("The health check given is not usable: ");
  }

  @Test
  void failuresNameTheVerbTheSubjectAndWhatToDo() throws Exception {
    assertThatThrownBy(() -> sc.install().setImage("oci-archive:" + tmp.resolve("missing.tar")).setName("x").call())
        .isInstanceOfSatisfying(SystemContainersException.class, e -> {
          assertThat(e.verb()).isEqualTo("install");
          assertThat(e.subject()).contains("x");
          assertThat(e.getMessage()).contains("missing.tar").contains("check the path");
          assertThat(e.exitCode()).isNotZero();
        });
    assertThatThrownBy(() -> sc.rollback().setName("nothing").call())
        .isInstanceOfSatisfying(SystemContainersException.class, e -> {
          assertThat(e.verb()).isEqualTo("rollback");
          assertThat(e.getMessage()).isEqualTo("System container 'nothing' is not installed");
        });
    assertThatThrownBy(() -> sc.pull().call()).hasMessage("No image to pull: call setImage first");
    sc.install().setImage("oci-archive:" + archive).setName("hello").call();
    assertThatThrownBy(() -> sc.install().setImage("oci-archive:" + archive).setName("hello").call())
        .hasMessage("hello already present; uninstall it first, or update it");
  }
}
