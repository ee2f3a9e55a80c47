package io.github.syscontainers.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@code auto-update} writes down, before each switch, which step of a container's update it is at, so that a
 * run killed at any step (SIGKILL, power loss) is finished or undone by the next: {@code CHECKOUT/.auto-update/NAME}
 * (JSON, written whole: temporary file, fsync, rename, fsync of the directory). It also keeps the digest a rollback
 * refused ({@code NAME.rejected}), so the next runs do not install it again.
 */
final class UpdateJournal {
  /** The steps, in order; each is written before it starts. */
  enum Step {
    /** Pulling the new image: nothing on the host has changed. */
    FETCHING,
    /** Writing the new deployment and switching to it: the service may be stopped. */
    DEPLOYING,
    /** Switched; waiting for the new deployment to be healthy. */
    CHECKING,
    /** The new deployment failed: going back to the previous one. */
    ROLLING_BACK;

    String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One container's interrupted update.
   *
   * @param fromSlot the deployment that served before the update ({@code NAME.0} or {@code NAME.1})
   * @param from the image id it served
   * @param to the image id being installed
   * @param wasActive whether the service ran before the update (only then is it started again and checked)
   */
  record Entry(String name, Step step, int fromSlot, String from, String to, boolean wasActive, long started) {
    Entry at(Step next) {
      return new Entry(name, next, fromSlot, from, to, wasActive, started);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  UpdateJournal(Path checkoutDir) {
    this.dir = checkoutDir.resolve(".auto-update");
  }

  Optional<Entry> read(String name) throws LifecycleException {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      return Optional.of(
          new Entry(
              name,
              Step.valueOf(n.path("step").asText().toUpperCase(Locale.ROOT).replace('-', '_')),
              n.path("from-slot").asInt(),
              n.path("from").asText(),
              n.path("to").asText(),
              n.path("was-active").asBoolean(),
              n.path("started").asLong()));
    } catch (IOException | IllegalArgumentException e) {
      throw new LifecycleException(
          "The auto-update record " + file + " cannot be read (" + e.getMessage() + "); check that " + name
              + " runs the deployment it should (containers list, containers rollback), then remove the file");
    }
  }

  /** Records {@code entry}; it is on disk when this returns. */
  void write(Entry entry) throws LifecycleException {
    ObjectNode o = JSON.createObjectNode();
    o.put("step", entry.step().word());
    o.put("from-slot", entry.fromSlot());
    o.put("from", entry.from());
    o.put("to", entry.to());
    o.put("was-active", entry.wasActive());
    o.put("started", entry.started());
    put(entry.name(), o.toString() + "\n");
  }

  void clear(String name) throws LifecycleException {
    delete(name);
  }

  /** The image id a rollback refused for {@code name}, if any. */
  Optional<String> rejected(String name) throws LifecycleException {
    Path file = dir.resolve(name + ".rejected");
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    } catch (IOException e) {
      throw new LifecycleException("Tried to read " + file + " but failed: " + e.getMessage(), e);
    }
  }

  void reject(String name, String imageId) throws LifecycleException {
    put(name + ".rejected", imageId + "\n");
  }

  void forgetRejected(String name) throws LifecycleException {
    delete(name + ".rejected");
  }

  private void put(String file, String text) throws LifecycleException {
    try {
      AtomicFiles.write(dir.resolve(file), text);
      syncDir();
    } catch (IOException e) {
      throw new LifecycleException("Tried to record the auto-update step in " + dir.resolve(file) + " but failed: "
          + e.getMessage() + "; nothing was switched", e);
    }
  }

  private void delete(String file) throws LifecycleException {
    try {
      if (Files.deleteIfExists(dir.resolve(file))) {
        syncDir();
      }
    } catch (IOException e) {
      throw new LifecycleException("Tried to remove " + dir.resolve(file) + " but failed: " + e.getMessage(), e);
    }
  }

  private void syncDir() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
