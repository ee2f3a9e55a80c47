package io.github.syscontainers.api;

import io.github.syscontainers.model.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where images come from and what they must satisfy, as the CLI's source flags say it. The host's registries.conf,
 * certs.d, auth.json and policy.json (under the facade's root) apply as for the CLI; these change what they say.
 *
 * @param tlsVerify {@code --tls-verify}: false lets a registry be reached over plain HTTP or an unverified certificate
 * @param credentials {@code --creds USER[:PASSWORD]}
 * @param authFile {@code --authfile FILE}
 * @param certDir {@code --cert-dir DIR}: the registry's TLS material instead of certs.d's
 * @param requestTimeout {@code --request-timeout}: how long one registry request may wait, retries included
 * @param maxLayerSize {@code --max-layer-size} in bytes
 * @param maxImageSize {@code --max-image-size} in bytes
 * @param signaturePolicy {@code --signature-policy FILE} instead of the root's policy.json
 * @param insecurePolicy {@code --insecure-policy}: accept images whatever the policy says
 * @param signatureDir {@code --signature-dir DIR}: signatures that came with the image
 * @param registriesD {@code --registries.d DIR}
 * @param platform {@code --platform}: which image of a multi-platform index
 */
public record Sources(
    boolean tlsVerify,
    Optional<String> credentials,
    Optional<Path> authFile,
    Optional<Path> certDir,
    Optional<Duration> requestTimeout,
    OptionalLong maxLayerSize,
    OptionalLong maxImageSize,
    Optional<Path> signaturePolicy,
    boolean insecurePolicy,
    Optional<Path> signatureDir,
    Optional<Path> registriesD,
    Platform platform) {

  public Sources {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(authFile, "authFile");
    Objects.requireNonNull(certDir, "certDir");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(maxLayerSize, "maxLayerSize");
    Objects.requireNonNull(maxImageSize, "maxImageSize");
    Objects.requireNonNull(signaturePolicy, "signaturePolicy");
    Objects.requireNonNull(signatureDir, "signatureDir");
    Objects.requireNonNull(registriesD, "registriesD");
    Objects.requireNonNull(platform, "platform");
  }

  /** What the CLI does with no source flag: TLS verified, this host's platform, the root's files as they are. */
  public static Sources defaults() {
    return new Sources(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(),
        Platform.host());
  }

  public Sources withTlsVerify(boolean verify) {
    return new Sources(verify, credentials, authFile, certDir, requestTimeout, maxLayerSize, maxImageSize,
        signaturePolicy, insecurePolicy, signatureDir, registriesD, platform);
  }

  public Sources withPlatform(Platform p) {
    return new Sources(tlsVerify, credentials, authFile, certDir, requestTimeout, maxLayerSize, maxImageSize,
        signaturePolicy, insecurePolicy, signatureDir, registriesD, p);
  }

  public Sources withSignaturePolicy(Path policy) {
    return new Sources(tlsVerify, credentials, authFile, certDir, requestTimeout, maxLayerSize, maxImageSize,
        Optional.of(policy), insecurePolicy, signatureDir, registriesD, platform);
  }

  public Sources withInsecurePolicy(boolean insecure) {
    return new Sources(tlsVerify, credentials, authFile, certDir, requestTimeout, maxLayerSize, maxImageSize,
        signaturePolicy, insecure, signatureDir, registriesD, platform);
  }

  public Sources withCredentials(Optional<String> userColonPassword) {
    return new Sources(tlsVerify, userColonPassword, authFile, certDir, requestTimeout, maxLayerSize, maxImageSize,
        signaturePolicy, insecurePolicy, signatureDir, registriesD, platform);
  }

  public Sources withAuthFile(Optional<Path> file) {
    return new Sources(tlsVerify, credentials, file, certDir, requestTimeout, maxLayerSize, maxImageSize,
        signaturePolicy, insecurePolicy, signatureDir, registriesD, platform);
  }

  public Sources withCertDir(Optional<Path> dir) {
    return new Sources(tlsVerify, credentials, authFile, dir, requestTimeout, maxLayerSize, maxImageSize,
        signaturePolicy, insecurePolicy, signatureDir, registriesD, platform);
  }

  public Sources withRegistriesD(Optional<Path> dir) {
    return new Sources(tlsVerify, credentials, authFile, certDir, requestTimeout, maxLayerSize, maxImageSize,
        signaturePolicy, insecurePolicy, signatureDir, dir, platform);
  }

  public Sources withSignatureDir(Optional<Path> dir) {
    return new Sources(tlsVerify, credentials, authFile, certDir, requestTimeout, maxLayerSize, maxImageSize,
        signaturePolicy, insecurePolicy, dir, registriesD, platform);
  }
}
