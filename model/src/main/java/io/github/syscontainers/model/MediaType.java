package io.github.syscontainers.model;

import java.util.Locale;

/**
 * The media types of manifests, indexes, configs and layers that syscontainers reads.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/media-types.md">OCI media types</a>
 */
public final class MediaType {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST_V1 = "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_MANIFEST_V1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private MediaType() {}

  /** Returns the media type without parameters ({@code ; charset=…}), trimmed and in lower case. */
  public static String essence(String contentType) {
    int semi = contentType.indexOf(';');
    String base = semi < 0 ? contentType : contentType.substring(0, semi);
    return base.trim().toLowerCase(Locale.ROOT);
  }

  /** Returns true for an OCI index or a Docker manifest list. */
  public static boolean isIndex(String mediaType) {
    String e = essence(mediaType);
    return e.equals(OCI_INDEX) || e.equals(DOCKER_MANIFEST_LIST);
  }

  /** Returns true for an OCI image manifest or a Docker v2 schema 2 manifest. */
  public static boolean isImageManifest(String mediaType) {
    String e = essence(mediaType);
    return e.equals(OCI_MANIFEST) || e.equals(DOCKER_MANIFEST);
  }
}
