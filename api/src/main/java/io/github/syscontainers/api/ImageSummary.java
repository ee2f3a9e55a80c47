package io.github.syscontainers.api;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An image of the store, as {@code images list} shows it.
 *
 * @param repo its name without the tag ({@code <none>} for a layer or config ref listed with {@code --all})
 * @param tag its tag ({@code <none>} when it has none)
 * @param id the image id (the SHA-256 of its config)
 * @param created when it was stored
 * @param virtualSize the size of its layers, when the store knows it
 * @param used some installed container runs it (atomic's {@code >} marker)
 * @param complete every layer is stored (false after {@code fsck --repair} removed a damaged one: pull it again)
 */
public record ImageSummary(
    String repo, String tag, String id, Instant created, OptionalLong virtualSize, boolean used, boolean complete) {
  public ImageSummary {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(virtualSize, "virtualSize");
  }

  /** {@code repo:tag}, the name other calls take. */
  public String name() {
    return tag.equals("<none>") ? repo : repo + ":" + tag;
  }
}
