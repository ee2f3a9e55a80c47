package io.github.syscontainers.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code fsck [--repair]} found in the repository.
 *
 * @param repository the OSTree repository checked
 * @param objectsChecked how many objects were re-hashed
 * @param problems each corrupt or missing object, and each broken payload link, in a line
 * @param removedRefs the refs a repair removed (their images must be pulled again)
 * @param linksMade the payload links a check made for stored files that had none
 * @param repaired whether the problems were repaired ({@code --repair})
 */
public record Checked(
    Path repository, long objectsChecked, List<String> problems, List<String> removedRefs, long linksMade,
    boolean repaired) {
  public Checked {
    problems = List.copyOf(problems);
    removedRefs = List.copyOf(removedRefs);
  }
}
