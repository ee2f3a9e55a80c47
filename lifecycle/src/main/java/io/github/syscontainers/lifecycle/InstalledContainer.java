package io.github.syscontainers.lifecycle;

import io.github.syscontainers.checkout.CheckoutException;
import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.host.RuntimeProbe;
import io.github.syscontainers.unitgen.InfoFile;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** An installed container's active deployment and its info, as update and rollback start from. */
record InstalledContainer(String name, Path deployment, int slot, InfoFile info) {

  /**
   * Loads the container {@code name} of {@code layout}; refuses it when it was installed into another root than the
   * layout's ({@link ContainerRoots}), so nothing of it is written where it does not live.
   */
  static InstalledContainer load(Layout layout, String name) throws LifecycleException {
    InstalledContainer c = load(new Deployments(layout.checkoutDir()), name);
    ContainerRoots.check(c.info(), name, layout);
    return c;
  }

  private static InstalledContainer load(Deployments deployments, String name) throws LifecycleException {
    try {
      Optional<Path> active = deployments.active(name);
      if (active.isEmpty()) {
        throw new LifecycleException("System container '" + name + "' is not installed");
      }
      Path d = active.get();
      String text = Files.readString(d.resolve("info"), StandardCharsets.UTF_8);
      InfoFile info = InfoFile.parse(text, RuntimeProbe.defaultRuntime(Optional.empty()));
      int slot = d.getFileName().toString().endsWith(".0") ? 0 : 1;
      return new InstalledContainer(name, d, slot, info);
    } catch (CheckoutException | UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException(
          "Cannot read the info file of " + name + ": " + e.getMessage() + "; reinstall the container", e);
    }
  }
}
