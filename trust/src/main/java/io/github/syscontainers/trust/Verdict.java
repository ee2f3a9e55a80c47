package io.github.syscontainers.trust;

import java.util.List;

/**
 * A policy's acceptance of an image: which scope decided, and what each accepted signature vouched (by which key,
 * for which identity). Refusals are {@link TrustException}s.
 *
 * @param scope the scope of the policy whose requirements applied, in words
 * @param signatures the signatures that satisfied a signature requirement, raw, to keep with the image
 * @param vouchers one line per accepted signature: key and identity
 */
public record Verdict(String scope, List<byte[]> signatures, List<String> vouchers) {
  public Verdict {
    signatures = List.copyOf(signatures);
    vouchers = List.copyOf(vouchers);
  }
}
