package io.github.syscontainers.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * atomic's confirmation before {@code images delete} and {@code containers delete}: the rows to be deleted under
 * "Do you wish to delete the following …?", then "Confirm (y/N)"; anything but {@code y}/{@code yes} (or no answer
 * at all) aborts with "User aborted delete operation for …" and exit status 2. With {@code -y} the rows are listed
 * under "The following … will be deleted." and nothing is asked.
 */
final class DeleteConfirmation {
  /** The exit status of an aborted delete, atomic's. */
  static final int ABORTED = 2;

  private DeleteConfirmation() {}

  /**
   * Lists {@code rows} and asks.
   *
   * @param what {@code images} or {@code containers}
   * @param targets the names given on the command line; empty for {@code --all}
   * @return true to go on
   */
  static boolean ask(CommandSpec spec, boolean assumeYes, String what, List<String> rows, List<String> targets)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    out.println(assumeYes ? "The following " + what + " will be deleted.\n"
        : "Do you wish to delete the following " + what + "?\n");
    rows.forEach(out::println);
    if (assumeYes) {
      return true;
    }
    out.print("\nConfirm (y/N) ");
    out.flush();
    String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    String a = answer == null ? "" : answer.trim().toLowerCase(Locale.ROOT);
    if (a.equals("y") || a.equals("yes")) {
      return true;
    }
    if (answer == null) {
      out.println();
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("User aborted delete operation for " + (targets.isEmpty() ? "all " + what : PythonRepr.list(targets)));
    err.flush();
    return false;
  }
}
