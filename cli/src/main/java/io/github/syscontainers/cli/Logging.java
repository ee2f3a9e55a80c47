package io.github.syscontainers.cli;

/**
 * Configures the SLF4J backend (slf4j-simple) before the first logger exists: warnings only, on stderr, unless
 * {@code --debug} asks for the protocol detail.
 */
final class Logging {
  private Logging() {}

  static void configure(String[] args) {
    boolean debug = false;
    for (String a : args) {
      if (a.equals("--debug")) {
        debug = true;
        break;
      }
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
  }
}
