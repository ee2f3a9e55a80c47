package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line gets only the verb it runs, and every verb when it asks for help or names none. */
class MainTest {
  static final String[] ALL = {
    "pull", "install", "uninstall", "images", "containers", "fsck", "lint", "verify", "mount", "umount", "run", "stop",
    "help"
  };

  @Test
  void aVerbGetsOnlyItself() {
    assertThat(Main.commandLine("install", "--name", "x", "img").getSubcommands()).containsOnlyKeys("install");
    assertThat(Main.commandLine("images", "list", "-a").getSubcommands()).containsOnlyKeys("images");
    assertThat(Main.commandLine("images", "list").getSubcommands().get("images").getSubcommands())
        .containsKeys("list", "delete", "prune", "tag", "info", "update");
    assertThat(Main.commandLine("unmount", "/tmp/x").getSubcommands()).containsOnlyKeys("umount", "unmount");
    // run keeps taking everything after its image as the command
    assertThat(Main.commandLine("run", "img", "sh", "-c", "true").getSubcommands().get("run").isStopAtPositional())
        .isTrue();
  }

  @Test
  void helpNoVerbOrAnUnknownOneGetsThemAll() {
    for (String[] args : new String[][] {{}, {"--help"}, {"-V", "--help"}, {"help", "install"}, {"instal"}}) {
      assertThat(Main.commandLine(args).getSubcommands()).as(String.join(" ", args)).containsKeys(ALL);
    }
  }

  /** Issue 27, item 2: every verb and subverb prints its usage for -h and --help, exit 0, whatever else is missing. */
  @Test
  void everyCommandOfTheTreeAnswersHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine("--help"), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(20).contains(List.of("images", "list"), List.of("containers", "update"));
    for (List<String> path : paths) {
      for (String flag : new String[] {"--help", "-h"}) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        String[] argv = args.toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.commandLine(argv).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(argv);
        assertThat(rc).as(String.join(" ", argv) + ": " + err).isZero();
        assertThat(err.toString()).as(String.join(" ", argv)).isEmpty();
        assertThat(out.toString()).as(String.join(" ", argv))
            .startsWith("Usage: syscontainers " + String.join(" ", path)).contains("-h, --help");
      }
    }
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommand() instanceof CommandLine.HelpCommand
          || !e.getKey().equals(e.getValue().getCommandName())) {
        continue; // help itself, and aliases (unmount is umount)
      }
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      out.add(p);
      collect(e.getValue(), p, out);
    }
  }

  @Test
  void versionAloneNeedsNoVerb() {
    assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
    assertThat(Main.run("-V")).isZero();
    // issue 35: the version, the commit the build recorded (target/classes holds git.properties) and the runtime
    String[] v = new VersionProvider().getVersion();
    assertThat(v[0]).startsWith("syscontainers ");
    assertThat(v[1]).matches("commit: [0-9a-f]{7,}(-dirty)?");
    assertThat(v[2]).startsWith("runtime: ").contains(Runtime.version().toString(), System.getProperty("java.home"));
  }

  /** Issue 35: the verbs are told apart by a table of their names, which must be what their annotations say. */
  @Test
  void theTableOfVerbNamesIsTheirAnnotations() {
    int names = 0;
    for (Class<?> verb : Main.VERBS) {
      if (verb == CommandLine.HelpCommand.class) {
        assertThat(Main.verbNamed("help")).isNull();
        continue;
      }
      CommandLine.Command command = verb.getAnnotation(CommandLine.Command.class);
      List<String> all = new ArrayList<>(List.of(command.aliases()));
      all.add(command.name());
      for (String name : all) {
        assertThat(Main.verbNamed(name)).as(name).isEqualTo(verb);
        names++;
      }
    }
    assertThat(names).isEqualTo(20);
    assertThat(Main.verbNamed("instal")).isNull();
  }

  /** Issue 35: the version flag alone is answered without picocli, with the very lines picocli prints for it. */
  @Test
  void theVersionFlagAlonePrintsWhatPicocliPrints() throws Exception {
    CommandLine cl = Main.commandLine("--version");
    assertThat(cl.getCommandSpec().optionsMap().get("--version").names())
        .containsExactlyInAnyOrderElementsOf(Main.VERSION_FLAGS);
    java.io.ByteArrayOutputStream picocli = new java.io.ByteArrayOutputStream();
    cl.printVersionHelp(new java.io.PrintStream(picocli, true, "UTF-8"));
    for (String flag : Main.VERSION_FLAGS) {
      java.io.ByteArrayOutputStream ours = new java.io.ByteArrayOutputStream();
      java.io.PrintStream stdout = System.out;
      System.setOut(new java.io.PrintStream(ours, true, "UTF-8"));
      int rc;
      try {
        rc = Main.run(flag);
      } finally {
        System.setOut(stdout);
      }
      assertThat(rc).isZero();
      assertThat(ours.toString("UTF-8")).as(flag).isEqualTo(picocli.toString("UTF-8")).contains("commit: ");
    }
  }

  @Test
  void helpListsEveryVerbAndAnUnknownOneIsRefused() {
    assertThat(Main.run("help", "install")).isZero();
    assertThat(Main.commandLine("--help").getUsageMessage()).contains("containers", "umount, unmount", "lint");
    assertThat(Main.run("instal")).isEqualTo(2);
  }

  /**
   * Issue 35: picocli is told not to register converters for java.sql and java.time (a class path search each on the
   * package's runtime); no option of any verb may take one of those types, or it would be left without a converter.
   */
  @Test
  void noOptionTakesATypeWhoseConverterIsLeftOut() {
    for (String name : new String[] {"java.sql.Time", "java.sql.Timestamp", "java.sql.Connection", "java.sql.Driver",
        "java.time.Duration", "java.time.Instant", "java.time.LocalDateTime", "java.time.ZoneOffset"}) {
      assertThat(name.matches(Main.PICOCLI_CONVERTERS_EXCLUDED)).as(name).isTrue();
    }
    assertThat("java.nio.file.Path".matches(Main.PICOCLI_CONVERTERS_EXCLUDED)).isFalse();
    List<List<String>> paths = new ArrayList<>();
    CommandLine all = Main.commandLine("--help");
    collect(all, new ArrayList<>(), paths);
    int options = 0;
    for (List<String> path : paths) {
      CommandLine cl = all;
      for (String verb : path) {
        cl = cl.getSubcommands().get(verb);
      }
      for (CommandLine.Model.ArgSpec arg : cl.getCommandSpec().args()) {
        for (Class<?> type : arg.auxiliaryTypes()) {
          assertThat(type.getName().matches(Main.PICOCLI_CONVERTERS_EXCLUDED))
              .as(String.join(" ", path) + " " + arg.paramLabel() + " of type " + type.getName()).isFalse();
        }
        options++;
      }
    }
    assertThat(options).isGreaterThan(100);
  }
}
