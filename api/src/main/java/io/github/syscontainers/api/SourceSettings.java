package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.registry.HostConfig;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Where an image comes from and what it must satisfy, as the CLI's source flags say it: {@code --tls-verify},
 * {@code --platform}, {@code --signature-policy}, {@code --insecure-policy}, {@code --signature-dir}. The host's
 * registries.conf, certs.d, auth.json and policy.json (under the facade's root) apply as they do for the CLI.
 */
final class SourceSettings {
  boolean tlsVerify = true;
  Platform platform = Platform.host();
  Optional<Path> signaturePolicy = Optional.empty();
  boolean insecurePolicy;
  Optional<Path> signatureDir = Optional.empty();

  SourceOptions options(Session s) throws LifecycleException {
    try {
      HostConfig host = HostConfig.load(s.hostRoot(), s.env().variables());
      TrustCheck trust = TrustCheck.load(
          new TrustCheck.Settings(s.hostRoot(), signaturePolicy, insecurePolicy, Optional.empty(), signatureDir,
              !s.env().isRoot(), s.env().home()),
          Clock.systemUTC());
      return SourceOptions.DEFAULT.withImageCheck(trust).withHost(host).withTlsVerify(tlsVerify);
    } catch (RegistryException | TrustException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }
}
