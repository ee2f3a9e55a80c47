package io.github.syscontainers.trust;

import java.util.List;

/**
 * A policy's acceptance of an image: which policy and scope decided, and what each accepted signature vouched (by
 * which key, for which identity). Refusals are {@link TrustException}s.
 *
 * @param policy where the policy was read from
 * @param scope the scope of the policy whose requirements applied, in words
 * @param signatures the signatures that satisfied a signature requirement, raw, to keep with the image
 * @param vouchers one line per accepted signature: key and identity
 */
public record Verdict(String policy, String scope, List<byte[]> signatures, List<String> vouchers) {
  public Verdict {
    signatures = List.copyOf(signatures);
    vouchers = List.copyOf(vouchers);
  }

  /** The decision in words: {@code accepted by P at SCOPE: signed by key F as R}, or without signatures. */
  public String describe() {
    return "accepted by " + policy + " at " + scope + (vouchers.isEmpty() ? ", which requires no signature"
        : ": " + String.join("; ", vouchers));
  }
}
