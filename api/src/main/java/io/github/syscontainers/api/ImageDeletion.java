package io.github.syscontainers.api;

import java.util.Optional;

/**
 * One image {@code images delete} removed, or (with {@code --remote}) asked its registry to remove.
 *
 * @param image the image's name (for {@code --remote}, as {@code docker://REF})
 * @param digest {@code --remote}: the manifest digest the registry marked for deletion
 * @param failure {@code --remote}: why the registry did not delete it (the others were still tried)
 */
public record ImageDeletion(String image, Optional<String> digest, Optional<String> failure) {
  public boolean deleted() {
    return failure.isEmpty();
  }
}
