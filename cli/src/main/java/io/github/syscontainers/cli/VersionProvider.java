package io.github.syscontainers.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the version from the jar manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"syscontainers " + (v == null ? "development build" : v)};
  }
}
