package io.github.syscontainers.api;

/**
 * One image of {@code images update --all}, as atomic's summary words it.
 *
 * @param image the image's name
 * @param before its id before
 * @param after its id after (the same when nothing moved)
 * @param status {@code Updated}, {@code Not updated} or {@code Failed: …}
 */
public record ImageUpdate(String image, String before, String after, String status) {}
