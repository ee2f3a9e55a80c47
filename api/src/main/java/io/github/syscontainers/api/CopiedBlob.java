package io.github.syscontainers.api;

import io.github.syscontainers.model.Descriptor;

/**
 * One blob of a copy.
 *
 * @param source the blob as the source had it
 * @param destination as the destination has it (the same digest unless recompressed)
 * @param action {@code present} (the destination had it), {@code mounted} (from another repository of the registry),
 *     {@code copied} (sent as it was) or {@code converted} (recompressed on the way)
 */
public record CopiedBlob(Descriptor source, Descriptor destination, String action) {}
