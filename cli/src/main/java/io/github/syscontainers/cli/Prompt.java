package io.github.syscontainers.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/** atomic's {@code util.input} questions: the answer counts as yes when it contains a {@code y}. */
final class Prompt {
  private Prompt() {}

  /** Asks {@code question} on stdout and reads one line of stdin; no answer at all is no. */
  static boolean yes(CommandSpec spec, String question) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    out.print(question);
    out.flush();
    String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (answer == null) {
      out.println();
      out.flush();
      return false;
    }
    return answer.toLowerCase(Locale.ROOT).contains("y");
  }
}
