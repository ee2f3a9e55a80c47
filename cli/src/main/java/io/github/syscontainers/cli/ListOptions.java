package io.github.syscontainers.cli;

import picocli.CommandLine.Option;

/** The options atomic's list verbs share: {@code -a}, {@code --json}, {@code -q}, {@code --no-trunc}, {@code -n}. */
final class ListOptions {
  @Option(names = {"-a", "--all"}, description = "Show everything, not only the default selection.")
  boolean all;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Print ids only.")
  boolean quiet;

  @Option(names = "--no-trunc", description = "Do not truncate columns.")
  boolean noTrunc;

  @Option(names = {"-n", "--noheading"}, description = "Omit the heading.")
  boolean noHeading;
}
