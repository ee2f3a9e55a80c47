package io.github.syscontainers.api;

/**
 * What {@link SystemContainers#update()} did.
 *
 * @param changed false when the latest version was already installed with the same values (nothing was written)
 * @param container the container's deployment after the call
 */
public record Updated(boolean changed, Installed container) {}
