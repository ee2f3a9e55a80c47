package io.github.syscontainers.cli;

import java.io.PrintWriter;
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
    err.println(prog + ": " + ex.getMessage());
    err.println("Try '" + prog + " --help' for more information.");
    err.flush();
    return 2;
  }
}
