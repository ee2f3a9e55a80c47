package io.github.syscontainers.registry;

import io.github.syscontainers.model.Digest;

/**
 * An image resolved to one platform: the exact manifest bytes and their digest, the parsed manifest, the config
 * bytes (verified against the manifest) and the parsed config, whose DiffIDs match the layers one to one.
 */
public record ResolvedImage(
    byte[] manifestBytes, Digest manifestDigest, Manifest.Image manifest, byte[] configBytes, ImageConfig config) {}
