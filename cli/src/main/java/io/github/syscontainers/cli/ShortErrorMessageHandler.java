package io.github.syscontainers.cli;

import java.io.PrintWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Reports a usage error as atomic's argparse did: the message, a hint to {@code --help}, exit status 2. */
final class ShortErrorMessageHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String prog = cmd.getCommandSpec().qualifiedName();
    err.println(prog + ": " + argparseWording(ex.getMessage()));
    err.println("Try '" + prog + " --help' for more information.");
    err.flush();
    return 2;
  }

  private static final Pattern EXCLUSIVE =
      Pattern.compile("Error: (?:.*, )?(\\S+), (\\S+) are mutually exclusive \\(specify only one\\)");

  /** picocli's words for two options of an exclusive group given together, as argparse put it for atomic. */
  static String argparseWording(String message) {
    Matcher m = EXCLUSIVE.matcher(message);
    return m.matches() ? "argument " + m.group(2) + ": not allowed with argument " + m.group(1) : message;
  }
}
