package io.github.syscontainers.unitgen;

/**
 * What the OCI runtime supports, as atomic probed it: {@code --pid-file} in {@code RUNTIME run --help} and
 * {@code --systemd-cgroup} in {@code RUNTIME --help}.
 */
public record RuntimeFeatures(String path, boolean pidFile, boolean systemdCgroup) {}
