package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.syscontainers.api.Installed;
import io.github.syscontainers.junit.ContainerUnderTest;
import io.github.syscontainers.junit.SystemContainer;
import io.github.syscontainers.junit.WithSystemContainers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample image, installed by the extension into a throwaway root, and by Provision into another. */
@WithSystemContainers
class ProvisionTest {
  @SystemContainer(image = "oci-archive:${hello.archive}", name = "hello", set = {"GREETING=Hallo", "STAY=yes"})
  ContainerUnderTest hello;

  @Test
  void theExtensionInstallsTheImageWithItsValues() throws Exception {
    assertTrue(hello.configJson().contains("\"GREETING=Hallo\""), hello.configJson());
    assertTrue(hello.unit().orElseThrow().contains("ExecStart="));
    assertTrue(Files.isRegularFile(hello.rootfs().resolve("hello/hello.sh")));
    assertEquals(1, hello.system().update().setName("hello").setValue("GREETING", "Moin").call().container().slot());
  }

  @Test
  void provisionInstallsThroughTheApi(@TempDir Path root) throws Exception {
    Installed installed = Provision.provision(root, "oci-archive:" + System.getProperty("hello.archive"));
    assertEquals("hello", installed.name());
    assertTrue(installed.configJson().contains("\"GREETING=Hej\""));
    assertTrue(Files.isRegularFile(root.resolve("etc/systemd/system/hello.service")));
  }
}
