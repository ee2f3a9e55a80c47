package io.github.syscontainers.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the version (the jar manifest's, the project's), the commit it was built from (git.properties,
 * written by the build; "-dirty" when the checkout had changes) and the Java runtime it runs on.
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    Properties git = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("git.properties")) {
      if (in != null) {
        git.load(in);
      }
    } catch (IOException e) {
      // no commit to show: the line says so
    }
    String commit = git.getProperty("git.commit.id.abbrev", "unknown");
    if ("true".equals(git.getProperty("git.dirty"))) {
      commit += "-dirty";
    }
    return new String[] {
      "syscontainers " + (v == null ? "development build" : v),
      "commit: " + commit,
      "runtime: " + System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty(
          "java.vendor") + ") in " + System.getProperty("java.home")
    };
  }
}
