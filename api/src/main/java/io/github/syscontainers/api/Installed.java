package io.github.syscontainers.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A container's active deployment, as {@link SystemContainers#install()} left it (and as {@link
 * SystemContainers#container(String)} reads it back).
 *
 * @param name the container's name
 * @param image the image name it was installed from
 * @param imageId the image's id
 * @param deployment the deployment directory ({@code CHECKOUT/NAME.0} or {@code NAME.1})
 * @param rootfs its read-only rootfs (a checkout, or the remote rootfs it links to)
 * @param configJson the generated {@code config.json}
 * @param unit the generated systemd unit; empty for an image without a service
 * @param tmpfiles the generated tmpfiles conf; empty when the image has none
 * @param info the deployment's {@code info} file, as atomic wrote it
 * @param values the template values the deployment was made with ({@code --set} and the defaults)
 * @param autoUpdate its auto-update policy ({@code registry}, {@code local}), if any
 */
public record Installed(
    String name,
    String image,
    String imageId,
    Path deployment,
    Path rootfs,
    String configJson,
    Optional<String> unit,
    Optional<String> tmpfiles,
    String info,
    Map<String, String> values,
    Optional<String> autoUpdate) {
  public Installed {
    values = Map.copyOf(values);
  }

  /** The deployment's slot: 0 for {@code NAME.0}, 1 for {@code NAME.1}. */
  public int slot() {
    return deployment.getFileName().toString().endsWith(".0") ? 0 : 1;
  }
}
