package io.github.syscontainers.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach a source: TLS verification, credentials ({@code USER:PASSWORD}), timeouts and retries.
 *
 * @param tlsVerify false to accept any certificate and fall back to plain HTTP, as skopeo's
 *     {@code --tls-verify=false}
 * @param credentials {@code USER[:PASSWORD]} for the registry, if any
 * @param readTimeout the longest a read may stall, response headers included
 * @param retry retries, resumes and the low-speed limit
 */
public record SourceOptions(boolean tlsVerify, Optional<String> credentials, Duration readTimeout, RetryPolicy retry) {
  /** Verify TLS, no credentials, 60 s read timeout, {@link RetryPolicy#DEFAULT}. */
  public static final SourceOptions DEFAULT =
      new SourceOptions(true, Optional.empty(), Duration.ofSeconds(60), RetryPolicy.DEFAULT);

  public SourceOptions {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(retry, "retry");
  }

  /** Returns these options with TLS verification set. */
  public SourceOptions withTlsVerify(boolean verify) {
    return new SourceOptions(verify, credentials, readTimeout, retry);
  }

  /** Returns these options with credentials set. */
  public SourceOptions withCredentials(Optional<String> creds) {
    return new SourceOptions(tlsVerify, creds, readTimeout, retry);
  }

  /** Returns these options with the read timeout set. */
  public SourceOptions withReadTimeout(Duration timeout) {
    return new SourceOptions(tlsVerify, credentials, timeout, retry);
  }

  /** Returns these options with the retry policy set. */
  public SourceOptions withRetry(RetryPolicy policy) {
    return new SourceOptions(tlsVerify, credentials, readTimeout, policy);
  }
}
