package io.github.syscontainers.cli;

import io.github.syscontainers.model.Platform;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.objectstore.ByteSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options that say how to reach an image's source, shared by pull, install and update. */
final class SourceOptionsMixin {
  @Option(
      names = "--tls-verify",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Require HTTPS and verify certificates (default true). false allows plain HTTP.")
  boolean tlsVerify = true;

  @Option(
      names = {"--creds", "--src-creds"},
      paramLabel = "USER[:PASSWORD]",
      description = "Credentials for the registry.")
  String creds;

  @Option(
      names = "--authfile",
      paramLabel = "FILE",
      description = "Read credentials from this auth.json (default: $REGISTRY_AUTH_FILE, the containers auth.json,"
          + " ~/.docker/config.json).")
  Path authFile;

  @Option(
      names = {"--cert-dir", "--src-cert-dir"},
      paramLabel = "DIR",
      description = "TLS material for the registry (*.crt authorities, *.cert/*.key client pairs) from DIR instead"
          + " of certs.d.")
  Path certDir;

  @Option(names = {"-q", "--quiet"}, description = "Do not show the progress of the pull.")
  boolean quiet;

  @Option(names = "--json", description = "Show the progress of the pull as one JSON object per line (auto-update: print"
      + " its results as JSON, and nothing else on stdout).")
  boolean json;

  @Option(
      names = "--max-layer-size",
      paramLabel = "SIZE",
      description = "The most one layer may expand to (e.g. 16G; default: max-layer-size in the repository's config,"
          + " else 8G).")
  String maxLayerSize;

  @Option(
      names = "--max-image-size",
      paramLabel = "SIZE",
      description = "The most the layers of the image may expand to together (default: max-image-size in the"
          + " repository's config, else 32G).")
  String maxImageSize;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      description = "How long one registry request may wait for its answer, retries included (e.g. 30s, 5m;"
          + " default 2m).")
  String requestTimeout;

  @Mixin TrustPaths trustPaths;

  @Option(names = "--insecure-policy", description = "Accept the image whatever the signature policy says.")
  boolean insecurePolicy;

  @Option(
      names = "--signature-dir",
      paramLabel = "DIR",
      description = "Signatures of an image read from an archive or layout: a lookaside directory (ALGO=HEX/signature-N,"
          + " or a copy of a registry's lookaside).")
  Path signatureDir;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Pull this platform (default: the host's).")
  String platform;

  /** The same flags for the API's facade. */
  io.github.syscontainers.api.Sources sources(CommonOptions common) throws LifecycleException {
    return new io.github.syscontainers.api.Sources(
        tlsVerify,
        Optional.ofNullable(creds).filter(c -> !c.isEmpty()),
        Optional.ofNullable(authFile),
        Optional.ofNullable(certDir),
        requestTimeout == null ? Optional.empty() : Optional.of(duration("--request-timeout", requestTimeout)),
        size("--max-layer-size", maxLayerSize),
        size("--max-image-size", maxImageSize),
        Optional.ofNullable(trustPaths.signaturePolicy),
        insecurePolicy,
        Optional.ofNullable(signatureDir),
        Optional.ofNullable(trustPaths.registriesD),
        platform());
  }

  /** The progress display of -q, --json or the terminal, for the API's facade; it installs the native crypto provider
   * as the pull goes (see {@link ProgressPrinter#opening} and {@link ProgressPrinter#fetching}). */
  io.github.syscontainers.api.Progress progress() {
    return new ProgressPrinter(mixee.commandLine().getOut(), mode(quiet, json));
  }

  /** How to show progress: -q, --json, else bars on a terminal and lines elsewhere. */
  static ProgressPrinter.Mode mode(boolean quiet, boolean json) {
    return quiet ? ProgressPrinter.Mode.QUIET : json ? ProgressPrinter.Mode.JSON : ProgressPrinter.detect();
  }

  private static final java.util.regex.Pattern DURATION =
      java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  /** A duration as {@code 90}, {@code 90s}, {@code 2m}, {@code 1h} or {@code 500ms}; seconds without a unit. */
  static Duration duration(String flag, String text) throws LifecycleException {
    java.util.regex.Matcher m = DURATION.matcher(text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new LifecycleException(
          flag + ": invalid duration '" + text + "'; write a positive number of seconds, or one with a unit such as"
              + " 30s, 5m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    switch (unit) {
      case "ms":
        return Duration.ofMillis(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofSeconds(n);
    }
  }

  private static OptionalLong size(String flag, String text) throws LifecycleException {
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      long n = ByteSize.parse(text);
      if (n <= 0) {
        throw new IllegalArgumentException("it must be positive");
      }
      return OptionalLong.of(n);
    } catch (IllegalArgumentException e) {
      throw new LifecycleException(flag + ": " + e.getMessage());
    }
  }

  Platform platform() {
    return platform == null ? Platform.host() : Platform.parse(platform);
  }
}
