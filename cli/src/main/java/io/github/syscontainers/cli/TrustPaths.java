package io.github.syscontainers.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the signature policy and the registries' signature stores are: shared by pulls and the trust verbs. */
final class TrustPaths {
  @Option(
      names = {"--signature-policy", "--policy"},
      paramLabel = "FILE",
      description = "The signature policy (default: /etc/containers/policy.json under --root; none there accepts"
          + " every image).")
  Path signaturePolicy;

  @Option(
      names = "--registries.d",
      paramLabel = "DIR",
      description = "Where the signature stores of registries are configured (default: /etc/containers/registries.d"
          + " under --root).")
  Path registriesD;

  /** These paths as the facade's sources (everything else as without flags). */
  io.github.syscontainers.api.Sources sources() {
    io.github.syscontainers.api.Sources s = io.github.syscontainers.api.Sources.defaults();
    if (signaturePolicy != null) {
      s = s.withSignaturePolicy(signaturePolicy);
    }
    return s.withRegistriesD(Optional.ofNullable(registriesD));
  }
}
