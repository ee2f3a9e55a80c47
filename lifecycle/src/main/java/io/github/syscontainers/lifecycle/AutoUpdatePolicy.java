package io.github.syscontainers.lifecycle;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A container's auto-update policy, as podman names it: {@code registry} (ask the registry for a new digest of the
 * tag the container was installed from) or {@code local} (a newer image of that name already in the store, delivered
 * by a {@code pull} from a tarball, say). Given at install with {@code --set io.containers.autoupdate=POLICY}, or by
 * the image's {@code io.containers.autoupdate} label; recorded in the deployment's {@code info}.
 */
public enum AutoUpdatePolicy {
  REGISTRY,
  LOCAL;

  /** The {@code --set} key and the image label. */
  public static final String KEY = "io.containers.autoupdate";

  /** The word in the info file and in {@code containers list --json}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy a word names; {@code image} is podman's older word for {@code registry}. */
  public static AutoUpdatePolicy parse(String word) throws LifecycleException {
    switch (word.strip().toLowerCase(Locale.ROOT)) {
      case "registry":
      case "image":
        return REGISTRY;
      case "local":
        return LOCAL;
      default:
        throw new LifecycleException(
            KEY + "=" + word + " is not an auto-update policy; use registry (a new digest of the same tag in its"
                + " registry) or local (a newer image of the same name in the store)");
    }
  }

  /**
   * The policy to record for a deployment: {@code --set} (kept in the values, so an update carries it) wins over
   * the image's label; {@code disabled} or an empty value turns it off.
   */
  static Optional<String> of(Map<String, ?> values, Map<String, String> labels) throws LifecycleException {
    Object set = values.get(KEY);
    String word = set != null ? String.valueOf(set) : labels.get(KEY);
    if (word == null || word.isBlank() || word.strip().equalsIgnoreCase("disabled")) {
      return Optional.empty();
    }
    return Optional.of(parse(word).word());
  }
}
