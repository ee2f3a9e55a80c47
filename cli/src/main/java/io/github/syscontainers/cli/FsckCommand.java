package io.github.syscontainers.cli;

import io.github.syscontainers.api.Checked;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code syscontainers fsck [--repair]}: re-hash every object the repository's refs reach. */
@Command(name = "fsck", description = "Check every object of the OSTree repository; --repair removes corrupt ones.")
final class FsckCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--repair", description = "Remove corrupt objects and the refs that reach them, to pull again.")
  boolean repair;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws LifecycleException, SystemContainersException {
    Checked r = Facade.open(common, spec).fsck().setRepair(repair).call();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    r.problems().forEach(err::println);
    for (String ref : r.removedRefs()) {
      out.println("Removed " + ref + "; pull its image again to restore it");
    }
    if (r.linksMade() > 0) {
      out.println("Linked " + r.linksMade() + " stored file(s) by the SHA-256 of their content (payload links)");
    }
    if (r.problems().isEmpty()) {
      out.println("Checked " + r.objectsChecked() + " objects in " + r.repository() + ": no errors found");
      return 0;
    }
    if (repair) {
      out.println("Repaired " + r.problems().size() + " problem(s) in " + r.repository());
      return 0;
    }
    err.println(
        r.problems().size() + " problem(s) in " + r.repository() + "; run `syscontainers fsck --repair`, then pull the"
            + " affected images again");
    err.flush();
    return 1;
  }
}
