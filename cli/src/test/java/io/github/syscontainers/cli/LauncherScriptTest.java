package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The checkout's launcher rebuilds the CLI when a source of a module it runs with is newer than the jar: its list of
 * those modules must name every module of the build but those the CLI does not run with (it once left out platform
 * and api, whose edits then ran stale).
 */
class LauncherScriptTest {
  /** The build's modules that are not on the CLI's class path at run time. */
  private static final Set<String> NOT_RUN = Set.of("bom", "test-fixtures", "junit", "bench", "packaging");

  @Test
  void itsStaleCheckCoversEveryModuleTheCliRunsWith() throws Exception {
    String script = Files.readString(Launcher.TOP.resolve("syscontainers"));
    Matcher m = Pattern.compile("(?m)^modules=\"([^\"]*)\"$").matcher(script);
    assertThat(m.find()).as("the launcher's modules= line").isTrue();
    Set<String> launcher = new TreeSet<>(Arrays.asList(m.group(1).split(" ")));
    Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(Launcher.TOP.resolve("pom.xml")));
    Set<String> run = new TreeSet<>();
    while (modules.find()) {
      if (!NOT_RUN.contains(modules.group(1))) {
        run.add(modules.group(1));
      }
    }
    assertThat(run).contains("platform", "api", "cli");
    assertThat(launcher).isEqualTo(run);
    for (String module : List.copyOf(run)) {
      assertThat(Launcher.TOP.resolve(module).resolve("src/main")).isDirectory();
    }
  }
}
