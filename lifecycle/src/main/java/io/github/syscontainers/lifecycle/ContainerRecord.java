package io.github.syscontainers.lifecycle;

import java.nio.file.Path;

/**
 * An installed system container as {@code containers list} shows it.
 *
 * @param name the container name
 * @param image the image name recorded at install
 * @param imageId the image id (info {@code revision})
 * @param created install time, seconds since the epoch
 * @param command the process arguments of its config.json, joined by spaces
 * @param runtime the OCI runtime path
 * @param state {@code running}, {@code failed}, {@code inactive} or {@code no service}
 * @param deployment the active deployment directory
 * @param autoUpdate its auto-update policy ({@code registry}, {@code local}), empty when it has none
 */
public record ContainerRecord(
    String name,
    String image,
    String imageId,
    long created,
    String command,
    String runtime,
    String state,
    Path deployment,
    String autoUpdate) {

  /** atomic counts everything but {@code inactive} as running (kept: scripts filter on it). */
  public boolean running() {
    return !state.equals("inactive");
  }
}
