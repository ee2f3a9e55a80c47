package io.github.syscontainers.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An image platform: {@code os/architecture[/variant]}, with architectures named as Go names them.
 *
 * <p>Immutable and thread-safe.
 */
public record Platform(String os, String architecture, Optional<String> variant) {

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(variant, "variant");
    if (os.isEmpty() || architecture.isEmpty()) {
      throw new IllegalArgumentException("A platform needs an os and an architecture");
    }
  }

  /** Parses {@code os/arch[/variant]}. */
  public static Platform parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid platform '" + text + "': expected OS/ARCH[/VARIANT], for example linux/amd64");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? Optional.of(parts[2]) : Optional.empty());
  }

  /** Returns the platform of the running JVM, with the architecture in Go's naming. */
  public static Platform host() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64":
      case "amd64":
        arch = "amd64";
        break;
      case "aarch64":
        arch = "arm64";
        break;
      case "x86":
      case "i386":
      case "i686":
        arch = "386";
        break;
      default:
        break;
    }
    return new Platform("linux", arch, Optional.empty());
  }

  @Override
  public String toString() {
    return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
  }
}
