package io.github.syscontainers.api;

import io.github.syscontainers.model.UpdateStatus;

/**
 * One container of {@code containers update --all}, as atomic's summary words it.
 *
 * @param container its name
 * @param before its image id before
 * @param after its image id after
 * @param latest the latest id of its image in the store ({@code <NOT FOUND>} when the image is gone)
 * @param status how it ended
 */
public record ContainerUpdate(String container, String before, String after, String latest, UpdateStatus status) {}
