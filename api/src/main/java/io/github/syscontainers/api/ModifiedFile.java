package io.github.syscontainers.api;

/**
 * A rootfs file of a container whose shared repository object no longer matches its checksum.
 *
 * @param path its path in the rootfs
 * @param object the repository object it is a hard link of (its SHA-256, hex)
 * @param detail what was found
 */
public record ModifiedFile(String path, String object, String detail) {}
