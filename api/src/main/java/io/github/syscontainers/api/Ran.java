package io.github.syscontainers.api;

/**
 * How {@link SystemContainers#run()} ended.
 *
 * @param exitCode the command's exit status (0 when a service was started)
 * @param stdout what it printed, when {@link RunCommand#setCaptureOutput(boolean)} asked for it (empty otherwise)
 * @param stderr what it printed on stderr, when captured
 */
public record Ran(int exitCode, String stdout, String stderr) {}
