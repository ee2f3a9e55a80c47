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
 * {@code /usr/bin/syscontainers} ({@code DIR/units}). packaging/stage-deb runs it from the test classes.
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

  /** atomic's EXAMPLES, for the verbs its pages had them, by the command's qualified name. */
  private static final java.util.Map<String, String[]> EXAMPLES = java.util.Map.ofEntries(
      java.util.Map.entry("syscontainers install", new String[] {
        "Install a system container from an archive, with a value for one of its templates:",
        "  syscontainers install --system --name etcd --set ETCD_PORT=2379 oci-archive:/tmp/etcd.tar",
        "Install from a registry, the image pulled and its signature policy checked first:",
        "  syscontainers install --system registry.example.com/f27/etcd:latest"}),
      java.util.Map.entry("syscontainers uninstall", new String[] {
        "Stop, disable and remove a system container, its unit and its deployments:",
        "  syscontainers uninstall etcd"}),
      java.util.Map.entry("syscontainers pull", new String[] {
        "Pull an image into the OSTree repository:",
        "  syscontainers pull docker://registry.example.com/f27/etcd:latest",
        "  syscontainers pull --storage ostree oci-archive:/media/etcd.tar"}),
      java.util.Map.entry("syscontainers containers update", new String[] {
        "Move a container to its image's newest stored version, or change a value:",
        "  syscontainers containers update etcd",
        "  syscontainers containers update --set ETCD_PORT=2380 etcd",
        "  syscontainers containers update --rebase registry.example.com/f28/etcd etcd"}),
      java.util.Map.entry("syscontainers containers rollback", new String[] {
        "Go back to the previous deployment:", "  syscontainers containers rollback etcd"}),
      java.util.Map.entry("syscontainers containers list", new String[] {
        "All containers, by image:", "  syscontainers containers list -a -f image=etcd"}),
      java.util.Map.entry("syscontainers images list", new String[] {
        "Every image of the repository, with full ids:", "  syscontainers images list --no-trunc"}),
      java.util.Map.entry("syscontainers images delete", new String[] {
        "Delete an image's name, then its unused objects:",
        "  syscontainers -y images delete etcd && syscontainers images prune"}),
      java.util.Map.entry("syscontainers run", new String[] {
        "Start an installed container, or run a command in it:",
        "  syscontainers run etcd", "  syscontainers run etcd etcdctl member list"}),
      java.util.Map.entry("syscontainers mount", new String[] {
        "Look at an image's files:",
        "  syscontainers mount etcd /mnt/etcd && ls /mnt/etcd && syscontainers umount /mnt/etcd"}),
      java.util.Map.entry("syscontainers trust add", new String[] {
        "Require signatures by a key for a registry:",
        "  syscontainers trust add --pubkeys /etc/pki/containers/release.gpg registry.example.com"}),
      java.util.Map.entry("syscontainers sign", new String[] {
        "Sign an image with a GPG key, into a lookaside directory:",
        "  syscontainers sign --sign-by release@example.com -d /srv/sigstore docker://registry.example.com/app:1"}));

  /** atomic's pages' EXAMPLES and HISTORY sections, as picocli footers of the man pages only (not of --help). */
  private static void sections(CommandLine cl) {
    String name = cl.getCommandSpec().qualifiedName();
    String[] examples = EXAMPLES.get(name);
    java.util.List<String> footer = new java.util.ArrayList<>();
    if (examples != null) {
      footer.add("EXAMPLES");
      footer.addAll(java.util.List.of(examples));
      footer.add("");
    }
    // a section title of its own (a paragraph "== HISTORY"), or the footer's heading when there are no examples
    footer.add(footer.isEmpty() ? "HISTORY" : "== HISTORY");
    footer.add(name.equals("syscontainers") ? "A reimplementation of atomic's system containers (atomic install --system)"
        + " in Java, with atomic's verbs, flags, layout and messages."
        : "atomic's '" + name.replaceFirst("^syscontainers", "atomic") + "' for system containers, reimplemented.");
    // the first section's title is the footer's heading, the second's a line of its own
    cl.getCommandSpec().usageMessage().footerHeading(footer.get(0))
        .footer(footer.subList(1, footer.size()).toArray(String[]::new));
    for (CommandLine sub : cl.getSubcommands().values()) {
      sections(sub);
    }
  }

  /**
   * The synopsis on one line: man reflows it to the terminal, and picocli's wrapping at 80 columns broke an option's
   * name at its dot ({@code --registries.d}) across lines, and its markup with it.
   */
  private static void wide(CommandLine cl) {
    cl.getCommandSpec().usageMessage().width(2000);
    for (CommandLine sub : cl.getSubcommands().values()) {
      wide(sub);
    }
  }

  private static final java.util.regex.Pattern SYNOPSIS =
      java.util.regex.Pattern.compile("(?s)(== Synopsis\n)(.*?)(// end::picocli-generated-man-section-synopsis)");
  private static final java.util.regex.Pattern EXAMPLE_RUN =
      java.util.regex.Pattern.compile("(?m)((?:^  \\S.*\\n)+)");

  /**
   * picocli's AsciiDoc as asciidoctor renders it as written: the synopsis with unconstrained bold and italics and its
   * brackets as attribute references (a bracket before a mark, as in {@code _USER[:PASSWORD]_]}, was taken for an
   * attribute list, and the marks next to brackets were left as they were); a glob such as {@code *.crt} in a
   * description as a literal asterisk, not the start of bold; the commands of EXAMPLES (indented lines) as literal
   * paragraphs, so they keep their indentation.
   */
  static String asciidoc(String page) {
    java.util.regex.Matcher m = SYNOPSIS.matcher(page);
    if (m.find()) {
      String synopsis = m.group(2)
          .replaceAll("\\*([^*\\s][^*]*?)\\*", "**$1**")
          .replaceAll("(?<!\\w)_([^_\\s][^_]*?)_(?!\\w)", "__$1__")
          .replace("[", "{startsb}").replace("]", "{endsb}");
      page = page.substring(0, m.start(2)) + synopsis + page.substring(m.end(2));
    }
    page = page.replaceAll("(?<=[\\s(/,])\\*(?=\\.\\w)", "{asterisk}");
    int examples = page.indexOf("== EXAMPLES\n");
    if (examples >= 0) {
      int end = page.indexOf("== HISTORY", examples);
      String section = page.substring(examples, end < 0 ? page.length() : end);
      // a literal paragraph is one whose first line is indented: each run of indented lines becomes one, between
      // blank lines, out of the [%hardbreaks] paragraph around them
      String fixed = EXAMPLE_RUN.matcher(section)
          .replaceAll(r -> java.util.regex.Matcher.quoteReplacement("\n" + r.group(1) + "\n[%hardbreaks]\n"));
      page = page.substring(0, examples) + fixed + page.substring(examples + section.length());
    }
    return page;
  }

  /** Writes the pages and completion scripts under {@code dir}. */
  static void write(Path dir) throws IOException {
    CommandLine cli = Main.commandLine("--help");
    sections(cli);
    wide(cli);
    Path adoc = Files.createDirectories(dir.resolve("adoc"));
    int status = ManPageGenerator.generateManPage(adoc.toFile(), (File) null, new boolean[0], true,
        cli.getCommandSpec());
    if (status != 0) {
      throw new IOException("picocli's man page generator failed (" + status + ") writing into " + adoc);
    }
    try (java.util.stream.Stream<Path> pages = Files.list(adoc)) {
      for (Path page : (Iterable<Path>) pages::iterator) {
        Files.writeString(page, asciidoc(Files.readString(page)));
      }
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
