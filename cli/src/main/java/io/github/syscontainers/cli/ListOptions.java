package io.github.syscontainers.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options atomic's list verbs share: {@code -a}, {@code -f}, {@code --json}, {@code -q}, {@code --no-trunc},
 * {@code -n}.
 */
final class ListOptions {
  @Option(names = {"-a", "--all"}, description = "Show everything, not only the default selection.")
  boolean all;

  @Option(
      names = {"-f", "--filter"},
      paramLabel = "KEY=VALUE",
      description = "Show only the rows whose KEY contains VALUE (any case); repeat to require several.")
  List<String> filters = new ArrayList<>();

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Print ids only.")
  boolean quiet;

  @Option(names = "--no-trunc", description = "Do not truncate columns.")
  boolean noTrunc;

  @Option(names = {"-n", "--noheading"}, description = "Omit the heading.")
  boolean noHeading;
}
