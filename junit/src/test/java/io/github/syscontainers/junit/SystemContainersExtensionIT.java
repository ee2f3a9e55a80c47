package io.github.syscontainers.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.syscontainers.api.AutoUpdated;
import io.github.syscontainers.api.Installed;
import io.github.syscontainers.api.Pulled;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Issue 34: the extension as a test suite uses it, and every call of the facade through it: a container per class (a
 * static field) and per test (a field, a parameter), each in its own root, removed afterwards or kept when a test
 * failed and asked; pull, install, update, rollback, auto-update, containers, uninstall on the container's root.
 */
@WithSystemContainers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemContainersExtensionIT {
  static final Path TOP = Path.of(System.getProperty("user.dir")).getParent();

  static {
    // the build of a project would write its image here; this one makes the sample image of examples/hello
    try {
      Path dir = Files.createTempDirectory("extension-it");
      SampleImage.build(TOP.resolve("examples/hello")).writeOciArchive(dir.resolve("hello.tar"), "1");
      SampleImage.build(TOP.resolve("examples/hello"), Map.of("version", "2"))
          .writeOciArchive(dir.resolve("hello-2.tar"), "2");
      System.setProperty("hello.archive", dir.resolve("hello.tar").toString());
      System.setProperty("hello2.archive", dir.resolve("hello-2.tar").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SystemContainer(image = "oci-archive:${hello.archive}", name = "shared", set = {"GREETING=Hi"})
  static ContainerUnderTest shared;

  @SystemContainer(image = "oci-archive:${hello.archive}", name = "fresh")
  ContainerUnderTest fresh;

  static Path firstSharedRoot;
  static Path firstFreshRoot;

  @BeforeAll
  static void root() {
    Peers.requireRoot();
  }

  @Test
  @Order(1)
  void aStaticFieldIsInstalledOnceForTheClass() throws Exception {
    firstSharedRoot = shared.root();
    assertThat(shared.name()).isEqualTo("shared");
    assertThat(shared.configJson()).contains("\"GREETING=Hi\"");
    assertThat(shared.unit()).get().asString().contains("ExecStart=");
    assertThat(shared.tmpfiles()).get().asString().contains("/var/lib/shared");
    assertThat(shared.info()).contains("\"GREETING\": \"Hi\"");
    assertThat(shared.rootfs().resolve("hello/hello.sh")).isRegularFile();
    assertThat(shared.root().resolve("etc/systemd/system/shared.service")).isRegularFile();
    firstFreshRoot = fresh.root();
  }

  @Test
  @Order(2)
  void eachTestHasItsOwnFreshContainerAndTheClassItsShared() throws Exception {
    assertThat(shared.root()).isEqualTo(firstSharedRoot);
    assertThat(shared.rootfs().resolve("hello/hello.sh")).as("the class's container outlives the first test")
        .isRegularFile();
    assertThat(fresh.root()).isNotEqualTo(firstFreshRoot);
    assertThat(firstFreshRoot).as("the first test's root is gone").doesNotExist();
  }

  @Test
  @Order(3)
  void updateAndRollbackThroughTheFacade() throws Exception {
    assertThat(fresh.system().update().setName("fresh").setValue("GREETING", "Hola").call().changed()).isTrue();
    assertThat(fresh.installed().slot()).isEqualTo(1);
    assertThat(fresh.configJson()).contains("\"GREETING=Hola\"");
    assertThat(fresh.system().rollback().setName("fresh").call().container().slot()).isZero();
    assertThat(fresh.configJson()).doesNotContain("Hola");
  }

  @Test
  @Order(4)
  void pullRebaseAutoUpdateAndUninstallThroughTheFacade() throws Exception {
    Pulled two = fresh.system().pull().setImage("oci-archive:" + System.getProperty("hello2.archive")).call();
    assertThat(two.name()).isEqualTo("hello-2:2");
    Installed rebased = fresh.system().update().setName("fresh").setRebase(two.name()).call().container();
    assertThat(rebased.image()).isEqualTo("hello-2:2");
    assertThat(rebased.imageId()).isEqualTo(two.imageId());
    List<AutoUpdated> none = fresh.system().autoUpdate().setDryRun(true).call();
    assertThat(none).as("no container here has a policy").isEmpty();
    assertThat(fresh.system().containers()).extracting(Installed::name).containsExactly("fresh");
    fresh.system().uninstall().setName("fresh").call();
    assertThat(fresh.system().containers()).isEmpty();
  }

  @Test
  @Order(5)
  void aParameterGetsItsOwnContainer(
      @SystemContainer(image = "oci-archive:${hello.archive}", name = "param", set = "STAY=yes")
          ContainerUnderTest param) throws Exception {
    assertThat(param.name()).isEqualTo("param");
    assertThat(param.root()).isNotEqualTo(fresh.root());
    assertThat(param.configJson()).contains("\"HELLO_STAY=yes\"");
  }

  static Path keptRoot;
  static Path droppedRoot;

  /** Run by the test kit below, not by the build: one failing test keeps its root, the other's goes. */
  @WithSystemContainers
  static class Failing {
    @SystemContainer(image = "oci-archive:${hello.archive}", name = "kept", keepOnFailure = true)
    ContainerUnderTest kept;

    @Test
    void fails() {
      keptRoot = kept.root();
      throw new AssertionError("on purpose");
    }
  }

  /** Run by the test kit below, not by the build: a test that fails without asking to keep its root. */
  @WithSystemContainers
  static class FailingWithoutKeeping {
    @SystemContainer(image = "oci-archive:${hello.archive}", name = "dropped")
    ContainerUnderTest dropped;

    @Test
    void fails() {
      droppedRoot = dropped.root();
      throw new AssertionError("on purpose");
    }
  }

  @Test
  @Order(6)
  void aFailedTestKeepsItsRootOnlyWhenAsked() throws Exception {
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(Failing.class), selectClass(FailingWithoutKeeping.class))
        .execute().testEvents().assertStatistics(s -> s.started(2).failed(2));
    try {
      assertThat(keptRoot).isDirectory();
      assertThat(keptRoot.resolve("var/lib/containers/atomic/kept.0/config.json")).isRegularFile();
      assertThat(droppedRoot).doesNotExist();
    } finally {
      SystemContainersExtension.delete(keptRoot);
    }
  }
}
