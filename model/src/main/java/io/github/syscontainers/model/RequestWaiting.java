package io.github.syscontainers.model;

import java.time.Duration;

/**
 * A registry request that has had no answer for a while: which registry, what was asked, how long it has waited,
 * which attempt it is and when it will give up. Emitted a few seconds into the wait and again as it goes on.
 *
 * @param registry the host (and port) asked
 * @param request what was asked, in words: {@code HEAD of the manifest img:1}
 * @param waited how long this request has waited, its earlier attempts included
 * @param attempt the attempt under way, from 1
 * @param attempts the attempts the retry policy allows
 * @param deadline when the request gives up, counted from its first attempt
 */
public record RequestWaiting(
    String registry, String request, Duration waited, int attempt, int attempts, Duration deadline) {

  /** One line for a person: what is awaited, for how long, and until when. */
  public String describe() {
    return "Waiting for " + registry + " to answer the " + request + ": " + waited.toSeconds() + " s so far (attempt "
        + attempt + " of " + attempts + "; giving up after " + deadline.toSeconds() + " s)";
  }
}
