package io.github.syscontainers.api;

import java.util.List;

/**
 * What {@code verify NAME} found (or {@code verify --repair NAME} restored).
 *
 * @param name the container
 * @param image its image's name
 * @param modified the rootfs files changed in place (empty when all match; always empty after a repair)
 * @param restored the files a repair fetched again and re-linked (empty without {@code --repair})
 * @param signatures how many signatures are stored with the image (not checked by a repair)
 * @param accepted whether today's signature policy still accepts them (true after a repair)
 * @param trustDetail what the policy check said
 * @param recorded what accepted the image when it was pulled
 */
public record Verified(
    String name,
    String image,
    List<ModifiedFile> modified,
    List<ModifiedFile> restored,
    int signatures,
    boolean accepted,
    String trustDetail,
    String recorded) {
  public Verified {
    modified = List.copyOf(modified);
    restored = List.copyOf(restored);
  }

  /** Nothing to report: every file matches and the image is still accepted (the CLI's exit status 0). */
  public boolean ok() {
    return modified.isEmpty() && accepted;
  }
}
