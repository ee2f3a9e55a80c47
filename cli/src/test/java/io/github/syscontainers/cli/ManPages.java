package io.github.syscontainers.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Issue 35: the man pages and shell completion, generated from the CLI's picocli model so they cannot drift from it.
 * {@code ManPages DIR} writes {@code DIR/adoc/syscontainers.adoc} and one page per verb and subcommand
 * ({@code syscontainers-install.adoc}, {@code syscontainers-images-list.adoc}, …; asciidoctor's manpage backend makes
 * them troff), {@code DIR/completion/syscontainers} (bash) and {@code DIR/completion/_syscontainers} (zsh, the same
 * script through bashcompinit), and the auto-update units as {@code auto-update --install-timer} writes them, for
 * {@code /usr/bin/syscontainers} ({@code DIR/units}). packaging/build-deb runs it from the test classes.
 */
public final class ManPages {
  private ManPages() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ManPages DIR");
      System.exit(2);
    }
    write(Path.of(args[0]));
  }

  /** Writes the pages and completion scripts under {@code dir}. */
  static void write(Path dir) throws IOException {
    CommandLine cli = Main.commandLine("--help");
    Path adoc = Files.createDirectories(dir.resolve("adoc"));
    int status = ManPageGenerator.generateManPage(adoc.toFile(), (File) null, new boolean[0], true,
        cli.getCommandSpec());
    if (status != 0) {
      throw new IOException("picocli's man page generator failed (" + status + ") writing into " + adoc);
    }
    Path completion = Files.createDirectories(dir.resolve("completion"));
    String bash = AutoComplete.bash("syscontainers", cli);
    Files.writeString(completion.resolve("syscontainers"), bash);
    Path units = Files.createDirectories(dir.resolve("units"));
    Files.writeString(units.resolve(io.github.syscontainers.lifecycle.AutoUpdateUnits.SERVICE),
        io.github.syscontainers.lifecycle.AutoUpdateUnits.service(java.util.List.of("/usr/bin/syscontainers")));
    Files.writeString(units.resolve(io.github.syscontainers.lifecycle.AutoUpdateUnits.TIMER),
        io.github.syscontainers.lifecycle.AutoUpdateUnits.timer("daily", java.time.Duration.ofMinutes(15)));
    Files.writeString(completion.resolve("_syscontainers"),
        "#compdef syscontainers\n# syscontainers' completion: picocli's bash script, through zsh's bashcompinit\n"
            + "autoload -U +X bashcompinit && bashcompinit\n" + bash);
  }
}
