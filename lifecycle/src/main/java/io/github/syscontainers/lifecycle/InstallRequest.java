package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Platform;
import io.github.syscontainers.registry.SourceOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code install --system} was asked to do.
 *
 * @param image the image argument as typed ({@code oci-archive:FILE}, {@code docker://…}, a stored name)
 * @param name the container name, or empty for atomic's default name
 * @param setValues {@code --set K=V} arguments, unparsed
 * @param runtime {@code --runtime PATH}, if given
 * @param source how to reach the image's source if it must be pulled
 * @param platform the platform to pull
 * @param rootfs {@code --rootfs DIR}: a remote rootfs to use instead of a checkout
 * @param display {@code --display}: pull the image and say where it would be extracted, then stop
 * @param healthCheck {@code --health-cmd} and its companions: what says the service is healthy after an auto-update
 */
public record InstallRequest(
    String image,
    Optional<String> name,
    List<String> setValues,
    Optional<String> runtime,
    SourceOptions source,
    Platform platform,
    Optional<String> rootfs,
    boolean display,
    Optional<io.github.syscontainers.unitgen.HealthCheck> healthCheck) {
  public InstallRequest {
    Objects.requireNonNull(image, "image");
    setValues = List.copyOf(setValues);
  }
}
