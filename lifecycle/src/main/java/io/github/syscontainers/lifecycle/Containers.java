package io.github.syscontainers.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.host.RuntimeProbe;
import io.github.syscontainers.unitgen.InfoFile;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lists the system containers of a checkout directory as atomic did: every {@code NAME} symlink to a deployment,
 * with its info file and config.json. A deployment left half-written by an interrupted command (no symlink, or no
 * info) is skipped rather than breaking the listing (atomic's listing failed, issue #1191).
 */
public final class Containers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Layout layout;
  private final Edge edge;

  public Containers(Layout layout, Edge edge) {
    this.layout = layout;
    this.edge = edge;
  }

  /** Returns every installed container, sorted by name. */
  public List<ContainerRecord> list() throws LifecycleException {
    List<ContainerRecord> out = new ArrayList<>();
    Path dir = layout.checkoutDir();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    Deployments deployments = new Deployments(dir);
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || !Files.isSymbolicLink(p)) {
          continue;
        }
        Optional<Path> active = deployments.active(name);
        if (active.isEmpty() || !Files.isRegularFile(active.get().resolve("info"))) {
          continue;
        }
        record(name, active.get()).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new LifecycleException("Tried to list " + dir + " but failed: " + e.getMessage(), e);
    }
    return out;
  }

  private Optional<ContainerRecord> record(String name, Path deployment) throws IOException {
    InfoFile info;
    try {
      info =
          InfoFile.parse(
              Files.readString(deployment.resolve("info"), StandardCharsets.UTF_8),
              RuntimeProbe.defaultRuntime(Optional.empty()));
    } catch (UnitGenException e) {
      return Optional.empty();
    }
    String command = "";
    Path config = deployment.resolve("config.json");
    if (Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) {
      try {
        JsonNode args = JSON.readTree(config.toFile()).path("process").path("args");
        List<String> parts = new ArrayList<>();
        args.forEach(a -> parts.add(a.asText()));
        command = String.join(" ", parts);
      } catch (IOException e) {
        command = "";
      }
    }
    String state;
    if (!info.hasContainerService()) {
      state = "no service";
    } else if (edge.systemd().isRunning() && edge.systemd().isActive(name)) {
      state = "running";
    } else {
      state = "inactive";
    }
    return Optional.of(
        new ContainerRecord(
            name, info.image(), info.revision(), info.created(), command, info.runtime(), state, deployment,
            info.autoUpdate().orElse("")));
  }
}
