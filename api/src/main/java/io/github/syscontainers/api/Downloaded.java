package io.github.syscontainers.api;

/**
 * An image {@code containers update --download-only} put in the store for a container (a later update only switches).
 *
 * @param container the container it is for
 * @param image the image's name
 * @param imageId its id
 */
public record Downloaded(String container, String image, String imageId) {}
