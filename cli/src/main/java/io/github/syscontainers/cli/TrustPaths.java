package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.trust.TrustCheck;
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

  /**
   * The settings of {@code common}'s root with these paths.
   *
   * @param policyFromEnv also take the policy from {@code TRUST_POLICY}, as atomic's trust verbs did
   */
  TrustCheck.Settings settings(
      CommonOptions common, boolean policyFromEnv, boolean insecurePolicy, Optional<Path> signatureDir) {
    Environment env = common.environment();
    Optional<Path> policy = Optional.ofNullable(signaturePolicy);
    if (policy.isEmpty() && policyFromEnv) {
      policy = env.get("TRUST_POLICY").filter(p -> !p.isEmpty()).map(Path::of);
    }
    return new TrustCheck.Settings(
        common.root == null ? Path.of("/") : common.root, policy, insecurePolicy, Optional.ofNullable(registriesD),
        signatureDir, !env.isRoot(), env.home());
  }
}
