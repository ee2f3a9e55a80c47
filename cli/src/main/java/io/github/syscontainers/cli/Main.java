package io.github.syscontainers.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code syscontainers} command: atomic's system-container verbs, in Java. */
@Command(
    name = "syscontainers",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Install and run system containers: services run by systemd from read-only images.",
    subcommands = {
      PullCommand.class,
      InstallCommand.class,
      UninstallCommand.class,
      ImagesCommand.class,
      ContainersCommand.class,
      FsckCommand.class,
      LintCommand.class,
      VerifyCommand.class,
      MountCommand.class,
      MountCommand.Umount.class,
      RunCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit status (for tests). */
  public static int run(String... args) {
    Logging.configure(args);
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(new ShortErrorMessageHandler());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    // everything after run's CONTAINER|IMAGE is the command, options included (run NAME sh -c '…')
    cl.getSubcommands().get("run").setStopAtPositional(true);
    return cl.execute(args);
  }
}
