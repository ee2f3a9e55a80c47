package io.github.syscontainers.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to reach a source and what to accept from it: TLS verification, credentials ({@code USER:PASSWORD}), timeouts
 * and retries, size limits, and the check (signature policy) an image passes before its layers are fetched.
 *
 * @param tlsVerify false to accept any certificate and fall back to plain HTTP, as skopeo's
 *     {@code --tls-verify=false}
 * @param credentials {@code USER[:PASSWORD]} for the registry, if any
 * @param readTimeout the longest a read may stall, response headers included
 * @param retry retries, resumes and the low-speed limit
 * @param authFile where to look up credentials when none are given ({@code --authfile}); empty for the default
 *     files of {@link CredentialStore}
 * @param host the host's registries.conf, certs.d and environment
 * @param listener receives the progress of each blob
 * @param maxLayerBytes the most bytes one layer of the image may expand to, when the caller sets it (the store's
 *     configured limit otherwise)
 * @param maxImageBytes the most bytes the image's layers may expand to together, when the caller sets it
 * @param imageCheck what decides on an image before its layers are fetched (the signature policy)
 */
public record SourceOptions(
    boolean tlsVerify,
    Optional<String> credentials,
    Duration readTimeout,
    RetryPolicy retry,
    Optional<Path> authFile,
    HostConfig host,
    TransferListener listener,
    OptionalLong maxLayerBytes,
    OptionalLong maxImageBytes,
    ImageCheck imageCheck) {
  /**
   * Verify TLS, no credentials, 60 s read timeout, {@link RetryPolicy#DEFAULT}, the default auth files,
   * {@link HostConfig#DEFAULT}.
   */
  public static final SourceOptions DEFAULT =
      new SourceOptions(
          true, Optional.empty(), Duration.ofSeconds(60), RetryPolicy.DEFAULT, Optional.empty(), HostConfig.DEFAULT,
          TransferListener.NONE, OptionalLong.empty(), OptionalLong.empty(), ImageCheck.NONE);

  public SourceOptions {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(authFile, "authFile");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(maxLayerBytes, "maxLayerBytes");
    Objects.requireNonNull(maxImageBytes, "maxImageBytes");
    Objects.requireNonNull(imageCheck, "imageCheck");
  }

  /** Returns these options with TLS verification set. */
  public SourceOptions withTlsVerify(boolean verify) {
    return new SourceOptions(
        verify, credentials, readTimeout, retry, authFile, host, listener, maxLayerBytes, maxImageBytes, imageCheck);
  }

  /** Returns these options with credentials set. */
  public SourceOptions withCredentials(Optional<String> creds) {
    return new SourceOptions(
        tlsVerify, creds, readTimeout, retry, authFile, host, listener, maxLayerBytes, maxImageBytes, imageCheck);
  }

  /** Returns these options with the read timeout set. */
  public SourceOptions withReadTimeout(Duration timeout) {
    return new SourceOptions(
        tlsVerify, credentials, timeout, retry, authFile, host, listener, maxLayerBytes, maxImageBytes, imageCheck);
  }

  /** Returns these options with the retry policy set. */
  public SourceOptions withRetry(RetryPolicy policy) {
    return new SourceOptions(
        tlsVerify, credentials, readTimeout, policy, authFile, host, listener, maxLayerBytes, maxImageBytes,
        imageCheck);
  }

  /** Returns these options with the auth file set. */
  public SourceOptions withAuthFile(Optional<Path> file) {
    return new SourceOptions(
        tlsVerify, credentials, readTimeout, retry, file, host, listener, maxLayerBytes, maxImageBytes, imageCheck);
  }

  /** Returns these options with the host's configuration set. */
  public SourceOptions withHost(HostConfig config) {
    return new SourceOptions(
        tlsVerify, credentials, readTimeout, retry, authFile, config, listener, maxLayerBytes, maxImageBytes,
        imageCheck);
  }

  /** Returns these options with the registries.conf set. */
  public SourceOptions withRegistries(RegistriesConf conf) {
    return withHost(host.withRegistries(conf));
  }

  /** Returns these options with the uncompressed size limits of a layer and of the image set (empty: the store's). */
  public SourceOptions withMaxUncompressed(OptionalLong layerBytes, OptionalLong imageBytes) {
    return new SourceOptions(
        tlsVerify, credentials, readTimeout, retry, authFile, host, listener, layerBytes, imageBytes, imageCheck);
  }

  /** Returns these options with the check every resolved image must pass before its layers are fetched. */
  public SourceOptions withImageCheck(ImageCheck check) {
    return new SourceOptions(
        tlsVerify, credentials, readTimeout, retry, authFile, host, listener, maxLayerBytes, maxImageBytes, check);
  }

  /** Returns these options with the progress listener set. */
  public SourceOptions withListener(TransferListener l) {
    return new SourceOptions(
        tlsVerify, credentials, readTimeout, retry, authFile, host, l, maxLayerBytes, maxImageBytes, imageCheck);
  }
}
