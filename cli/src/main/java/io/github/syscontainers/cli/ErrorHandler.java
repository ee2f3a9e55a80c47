package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.LifecycleException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failure as one line on stderr and maps it to an exit status: a lifecycle failure's own status, 1
 * otherwise. {@code --debug} adds the stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    var err = cmd.getErr();
    String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    err.println(message.replace('\n', ' '));
    if (parseResult.expandedArgs().contains("--debug")) {
      ex.printStackTrace(err);
    }
    err.flush();
    if (ex instanceof io.github.syscontainers.api.SystemContainersException) {
      return ((io.github.syscontainers.api.SystemContainersException) ex).exitCode();
    }
    return ex instanceof LifecycleException ? ((LifecycleException) ex).exitCode() : 1;
  }
}
