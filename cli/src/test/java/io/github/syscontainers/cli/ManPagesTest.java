package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 35: a page for the command and for every verb and subcommand, and completion that knows them. */
class ManPagesTest {
  @Test
  void everyVerbHasAPageAndCompletion(@TempDir Path dir) throws Exception {
    ManPages.write(dir);
    Path adoc = dir.resolve("adoc");
    for (String page : new String[] {"syscontainers", "syscontainers-install", "syscontainers-pull",
        "syscontainers-images-list", "syscontainers-containers-update", "syscontainers-trust-add",
        "syscontainers-auto-update", "syscontainers-copy", "syscontainers-umount"}) {
      assertThat(adoc.resolve(page + ".adoc")).as(page).isRegularFile();
    }
    String install = Files.readString(adoc.resolve("syscontainers-install.adoc"));
    assertThat(install).contains(":doctype: manpage", "--set", "--system", "--health-cmd");
    // atomic's sections: EXAMPLES where its page had them, HISTORY on every page
    assertThat(install).contains("== EXAMPLES", "syscontainers install --system --name etcd", "== HISTORY");
    assertThat(Files.readString(adoc.resolve("syscontainers-images-prune.adoc"))).contains("== HISTORY")
        .doesNotContain("EXAMPLES");
    // as asciidoctor must see them: the synopsis on one line, its marks unconstrained and its brackets escaped; globs
    // as asterisks; the example commands as literal paragraphs (indented, blank lines around)
    String synopsis = install.substring(install.indexOf("== Synopsis"), install.indexOf("== Description"));
    assertThat(synopsis).contains("{startsb}**--debug**{endsb}", "=__USER{startsb}:PASSWORD{endsb}__{endsb}",
        "{startsb}**--registries.d**=__DIR__{endsb}").doesNotContain("[*", "*]", "_]");
    assertThat(synopsis.lines().filter(l -> l.startsWith("**syscontainers install**")).findFirst().orElseThrow())
        .contains("__IMAGE__");
    assertThat(install).contains("({asterisk}.crt authorities, {asterisk}.cert/{asterisk}.key")
        .contains("\n\n  syscontainers install --system --name etcd");
    String bash = Files.readString(dir.resolve("completion/syscontainers"));
    assertThat(bash).contains("complete -F _complete_syscontainers", "auto-update", "--rebase");
    assertThat(Files.readString(dir.resolve("completion/_syscontainers"))).startsWith("#compdef syscontainers");
  }
}
