package io.github.syscontainers.api;

/**
 * The container after {@link SystemContainers#rollback()}: its previous deployment is the active one again.
 *
 * @param container the deployment that is active now
 */
public record RolledBack(Installed container) {}
