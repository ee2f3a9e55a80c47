package io.github.syscontainers.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * How to reach a source: TLS verification, credentials ({@code USER:PASSWORD}) and timeouts.
 *
 * @param tlsVerify false to accept any certificate and fall back to plain HTTP, as skopeo's
 *     {@code --tls-verify=false}
 * @param credentials {@code USER[:PASSWORD]} for the registry, if any
 * @param readTimeout the longest a read may stall
 */
public record SourceOptions(boolean tlsVerify, Optional<String> credentials, Duration readTimeout) {
  /** Verify TLS, no credentials, 60 s read timeout. */
  public static final SourceOptions DEFAULT = new SourceOptions(true, Optional.empty(), Duration.ofSeconds(60));

  /** Returns these options with TLS verification set. */
  public SourceOptions withTlsVerify(boolean verify) {
    return new SourceOptions(verify, credentials, readTimeout);
  }

  /** Returns these options with credentials set. */
  public SourceOptions withCredentials(Optional<String> creds) {
    return new SourceOptions(tlsVerify, creds, readTimeout);
  }
}
