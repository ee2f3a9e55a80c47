package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command line gets only the verb it runs, and every verb when it asks for help or names none. */
class MainTest {
  static final String[] ALL = {
    "pull", "install", "uninstall", "images", "containers", "fsck", "lint", "verify", "mount", "umount", "run", "help"
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

  @Test
  void versionAloneNeedsNoVerb() {
    assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
    assertThat(Main.run("-V")).isZero();
  }

  @Test
  void helpListsEveryVerbAndAnUnknownOneIsRefused() {
    assertThat(Main.run("help", "install")).isZero();
    assertThat(Main.commandLine("--help").getUsageMessage()).contains("containers", "umount, unmount", "lint");
    assertThat(Main.run("instal")).isEqualTo(2);
  }
}
