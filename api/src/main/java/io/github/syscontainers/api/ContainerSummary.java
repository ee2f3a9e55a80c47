package io.github.syscontainers.api;

import java.time.Instant;
import java.util.Optional;

/**
 * An installed container, as {@code containers list} shows it.
 *
 * @param name its name
 * @param image the image it was installed from
 * @param imageId that image's id
 * @param created when the active deployment was made
 * @param command its process's arguments, joined by spaces
 * @param runtime the OCI runtime it runs with
 * @param state {@code running}, {@code failed}, {@code inactive} or {@code no service}
 * @param autoUpdate its auto-update policy, if any
 */
public record ContainerSummary(
    String name, String image, String imageId, Instant created, String command, String runtime, String state,
    Optional<String> autoUpdate) {

  /** atomic counts everything but {@code inactive} as running (and {@code containers list} without -a shows those). */
  public boolean running() {
    return !state.equals("inactive");
  }
}
