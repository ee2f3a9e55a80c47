package io.github.syscontainers.api;

import io.github.syscontainers.model.Digest;

/**
 * A signature {@link SystemContainers#sign()} made.
 *
 * @param image the image signed, as given
 * @param location where the signature was written (a file, or the layout's referrer)
 * @param keyFingerprint the fingerprint of the key that signed
 * @param identity the reference the signature vouches for
 * @param manifestDigest the digest of the manifest signed
 */
public record Signature(String image, String location, String keyFingerprint, String identity, Digest manifestDigest) {}
