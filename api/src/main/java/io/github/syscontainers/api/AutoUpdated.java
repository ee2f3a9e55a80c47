package io.github.syscontainers.api;

import java.util.Map;
import java.util.Optional;

/**
 * One container's outcome of {@link SystemContainers#autoUpdate()}.
 *
 * @param status {@code up to date}, {@code pending} (a dry run), {@code updated}, {@code rolled back}, {@code skipped}
 *     or {@code failed}
 * @param from the image id it ran before
 * @param to the image id it was moved to, would be, or was rolled back from
 * @param detail the verdicts or the error, in words
 * @param timings milliseconds each step took ({@code fetch}, {@code deploy}, {@code health}, {@code rollback},
 *     {@code total})
 */
public record AutoUpdated(
    String container, String image, String policy, String from, Optional<String> to, String status, String detail,
    Map<String, Long> timings) {
  public AutoUpdated {
    timings = Map.copyOf(timings);
  }
}
