package io.github.syscontainers.api;

import java.util.List;

/**
 * What {@code images prune} removed.
 *
 * @param objectsDeleted how many repository objects went
 * @param bytesFreed how many bytes they held
 * @param failures the files that could not be removed (the rest was pruned); empty when all went
 */
public record Pruned(long objectsDeleted, long bytesFreed, List<String> failures) {
  public Pruned {
    failures = List.copyOf(failures);
  }
}
