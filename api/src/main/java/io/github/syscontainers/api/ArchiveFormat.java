package io.github.syscontainers.api;

/** {@code save --format}: what {@link SaveCommand} writes. */
public enum ArchiveFormat {
  /** {@code docker-archive}: {@code docker save}'s tar (the default). */
  DOCKER_ARCHIVE,
  /** {@code oci-archive}: an OCI image layout in a tar. */
  OCI_ARCHIVE,
  /** {@code oci-dir}: an OCI image layout directory. */
  OCI_DIR,
  /** {@code docker-dir}: containers/image's {@code dir:} directory. */
  DOCKER_DIR
}
