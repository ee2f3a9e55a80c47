package io.github.syscontainers.cli;

import io.github.syscontainers.platform.CryptoProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** The {@code syscontainers} command: atomic's system-container verbs, in Java. */
@Command(
    name = "syscontainers",
    versionProvider = VersionProvider.class,
    description = "Install and run system containers: services run by systemd from read-only images.")
public final class Main {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = {"-v", "-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
  boolean version;

  @Option(
      names = {"-y", "--assumeyes"},
      description = "Answer yes to every confirmation (images delete, containers delete), as atomic's global -y.")
  boolean assumeYes;

  @Option(names = {"-i", "--ignore"}, description = "Accepted for atomic compatibility; no effect.")
  boolean ignore;

  @Option(names = "--debug", description = "Log protocol detail and print stack traces.")
  boolean debug;

  /** Whether the global {@code -y} was given on the command line {@code spec} belongs to. */
  static boolean assumeYes(CommandSpec spec) {
    Object root = spec.root().userObject();
    return root instanceof Main && ((Main) root).assumeYes;
  }

  /** The root's version flags (the {@code version} option above). */
  static final List<String> VERSION_FLAGS = List.of("-v", "-V", "--version");

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * The verbs, in the order help lists them. picocli reflects over every command class it is given, about a quarter
   * of a second for all of them at start, so a command line gets only the verb it runs (all of them for help, no
   * verb or an unknown one; none for {@code --version}).
   */
  static final List<Class<?>> VERBS =
      List.of(
          PullCommand.class,
          CopyCommand.class,
          SaveCommand.class,
          PushCommand.class,
          InstallCommand.class,
          UninstallCommand.class,
          ImagesCommand.class,
          ContainersCommand.class,
          AutoUpdateCommand.class,
          FsckCommand.class,
          LintCommand.class,
          VerifyCommand.class,
          MountCommand.class,
          MountCommand.Umount.class,
          RunCommand.class,
          StopCommand.class,
          TrustCommand.class,
          SignCommand.class,
          GenerateSigstoreKeyCommand.class,
          CommandLine.HelpCommand.class);

  /** The java.sql and java.time classes picocli would register converters for, as {@code fqcn.matches} sees them. */
  static final String PICOCLI_CONVERTERS_EXCLUDED =
      "java\\.sql\\.(Time|Timestamp|Connection|Driver)|java\\.time\\.(Duration|Instant|LocalDate|LocalDateTime|LocalTime"
          + "|MonthDay|OffsetDateTime|OffsetTime|Period|Year|YearMonth|ZonedDateTime|ZoneId|ZoneOffset)";

  /** Runs the command line and returns the exit status (for tests). */
  public static int run(String... args) {
    if (args.length == 1 && VERSION_FLAGS.contains(args[0])) {
      // what picocli prints for the version flag alone (MainTest compares them), without building the command: its
      // model of Main alone, annotation proxies and the negatable-option expressions, was 26 of --version's 37 ms
      for (String line : new VersionProvider().getVersion()) {
        System.out.println(line);
      }
      return 0;
    }
    // picocli otherwise looks for Groovy's Closure class on the whole class path at its first command line, and
    // fails: about 20 ms of every command's start. No command here is written in Groovy.
    System.setProperty("picocli.disable.closures", "true");
    // and it looks for java.sql and java.time classes to register converters for (no option here takes one: durations
    // are parsed by the verbs): the package's runtime has no java.sql module, so each lookup searched the class path,
    // opening all 32 jars (about 40 ms), and the java.time ones initialize their classes. picocli matches this
    // expression once per class it would register; literals and alternatives only, which compile without lambdas.
    if (System.getProperty("picocli.converters.excludes") == null) {
      System.setProperty("picocli.converters.excludes", PICOCLI_CONVERTERS_EXCLUDED);
    }
    LocaleData.preferJdkOwn();
    Logging.configure(args);
    Optional<Class<?>> verb = verbOf(args);
    if (verb.isPresent() && verb.get() != LintCommand.class && verb.get() != InstallCommand.class
        && verb.get() != PullCommand.class) {
      // hashing at full speed from the first byte; the native provider loads at the first digest (help, --version
      // and lint hash nothing; install and pull choose it as their pull goes, see ProgressPrinter.fetching: once the
      // layers to fetch are known to be large; a warm install checks only small metadata objects, with the JDK's).
      // AES-GCM: when a registry is to be reached over TLS (ProgressPrinter.securing).
      preferNativeSha256();
    }
    return commandLine(args).execute(args);
  }

  /**
   * SHA-256 digests from the native provider, loaded at the first one ({@link CryptoProvider#sha256Lazily()}), without
   * putting it in the JVM's provider list, which would make the JDK load all of its own.
   */
  static void preferNativeSha256() {
    io.github.syscontainers.model.Digest.preferSha256(CryptoProvider.sha256Lazily());
  }

  /** The command line for {@code args}, with the verb they name (or every verb, or none for --version). */
  static CommandLine commandLine(String... args) {
    CommandLine cl = new CommandLine(new Main());
    Optional<Class<?>> verb = verbOf(args);
    List<String> list = Arrays.asList(args);
    if (verb.isPresent()) {
      cl.addSubcommand(verb.get());
    } else if (!(list.contains("-V") || list.contains("-v") || list.contains("--version")) || list.contains("-h")
        || list.contains("--help")) {
      // --version alone needs none. A loop, not forEach(cl::addSubcommand): that method reference would make the CDS
      // dump link picocli's CommandLine, and a linked class of picocli's Java 5 format is left out of the archive
      for (Class<?> v : VERBS) {
        cl.addSubcommand(v);
      }
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      addHelpOption(sub);
    }
    cl.setParameterExceptionHandler(new ShortErrorMessageHandler());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    CommandLine run = cl.getSubcommands().get("run");
    if (run != null) {
      // everything after run's CONTAINER|IMAGE is the command, options included (run NAME sh -c '…')
      run.setStopAtPositional(true);
    }
    return cl;
  }

  /**
   * Gives {@code cl} and each of its subcommands {@code -h/--help}, as the root has: usage on stdout, exit 0, and
   * no check of required parameters (the verbs do not take picocli's standard mixin, whose {@code -V} would clash
   * with atomic's flags).
   */
  private static void addHelpOption(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    if (spec.optionsMap().get("--help") == null && !(cl.getCommand() instanceof CommandLine.HelpCommand)) {
      spec.addOption(
          OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      addHelpOption(sub);
    }
  }

  /** The verb the first positional argument names, unless it is help. */
  private static Optional<Class<?>> verbOf(String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return Optional.ofNullable(verbNamed(a));
      }
    }
    return Optional.empty();
  }

  /**
   * The verb of {@link #VERBS} a name or alias is given to by its {@code @Command} (help excepted), or null. By name,
   * not read from the annotations: that loaded every verb's class and parsed its annotation, 12 ms of each command's
   * start (MainTest checks this table against the annotations).
   */
  static Class<?> verbNamed(String name) {
    switch (name) {
      case "pull": return PullCommand.class;
      case "copy": return CopyCommand.class;
      case "save": return SaveCommand.class;
      case "push": return PushCommand.class;
      case "install": return InstallCommand.class;
      case "uninstall": return UninstallCommand.class;
      case "images": return ImagesCommand.class;
      case "containers": return ContainersCommand.class;
      case "auto-update": return AutoUpdateCommand.class;
      case "fsck": return FsckCommand.class;
      case "lint": return LintCommand.class;
      case "verify": return VerifyCommand.class;
      case "mount": return MountCommand.class;
      case "umount": case "unmount": return MountCommand.Umount.class;
      case "run": return RunCommand.class;
      case "stop": return StopCommand.class;
      case "trust": return TrustCommand.class;
      case "sign": return SignCommand.class;
      case "generate-sigstore-key": return GenerateSigstoreKeyCommand.class;
      default: return null;
    }
  }
}
