package io.github.syscontainers.registry;

/**
 * A Sigstore bundle found referring to a manifest.
 *
 * @param mediaType the bundle's media type, as its layer gives it
 * @param json the bundle
 */
public record SigstoreBundleBlob(String mediaType, byte[] json) {}
