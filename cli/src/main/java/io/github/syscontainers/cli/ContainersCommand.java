package io.github.syscontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.api.ContainerSummary;
import io.github.syscontainers.api.ContainerUpdate;
import io.github.syscontainers.api.Downloaded;
import io.github.syscontainers.api.SystemContainers;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.UpdateStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers containers list}: the installed system containers. */
@Command(
    name = "containers",
    description = "Manage system containers.",
    subcommands = {
      ContainersCommand.ListContainers.class,
      ContainersCommand.Update.class,
      ContainersCommand.RollbackCmd.class,
      ContainersCommand.Delete.class
    })
final class ContainersCommand {
  private static final LocalTimes CREATED = new LocalTimes("yyyy-MM-dd HH:mm:ss");

  @Command(name = "update", description = "Update a container to its image's current version, new values, or --rebase.")
  static final class Update implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin SourceOptionsMixin source;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Change a template variable.")
    List<String> set = new ArrayList<>();

    @Option(names = "--rebase", paramLabel = "IMAGE", description = "Move the container to another image.")
    String rebase;

    @Option(names = "--runtime", paramLabel = "PATH", description = "OCI runtime (default: the one recorded).")
    String runtime;

    @Option(names = {"-a", "--all"}, description = "Update every container (controlled: rolled back if it fails to start).")
    boolean all;

    @Option(names = "--download-only", description = "Only download the image's current version (or --rebase's image)"
        + " into the store, fetching in part what zstd:chunked layers allow; a later update only switches.")
    boolean downloadOnly;

    @Parameters(arity = "0..1", paramLabel = "CONTAINER")
    String name;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (all && name != null) {
        throw new LifecycleException("Incompatible options specified.  --all doesn't support a container name");
      }
      if (all && (!set.isEmpty() || rebase != null)) {
        throw new LifecycleException("Incompatible options specified.  --all doesn't support --set or --rebase");
      }
      if (downloadOnly) {
        return downloadOnly();
      }
      if (all) {
        return updateAll();
      }
      if (name == null) {
        throw new LifecycleException(
            "Too few arguments.  Please specify the container");
      }
      var update = Facade.open(common, spec).update().setName(name).setSources(source.sources(common))
          .setProgress(source.progress());
      set.forEach(update::setValue);
      if (rebase != null) {
        update.setRebase(rebase);
      }
      if (runtime != null) {
        update.setRuntime(runtime);
      }
      update.call();
      return 0;
    }

    private int downloadOnly() throws LifecycleException, SystemContainersException {
      if (!set.isEmpty()) {
        throw new LifecycleException("Incompatible options specified.  --download-only doesn't support --set");
      }
      if (!all && name == null) {
        throw new LifecycleException("Too few arguments.  Please specify the container, or --all");
      }
      List<Downloaded> rows = Facade.open(common, spec).download().setName(name).setRebase(rebase)
          .setSources(source.sources(common)).setProgress(source.progress()).call();
      PrintWriter out = spec.commandLine().getOut();
      for (Downloaded r : rows) {
        out.println("Downloaded " + r.image() + " (" + r.imageId().substring(0, Math.min(12, r.imageId().length()))
            + ") for " + r.container() + "; `containers update " + r.container()
            + (rebase != null ? " --rebase " + rebase : "") + "` switches to it");
      }
      out.flush();
      return 0;
    }

    private int updateAll() throws LifecycleException, SystemContainersException {
      List<ContainerUpdate> rows = Facade.open(common, spec).updateAll().setSources(source.sources(common)).call();
      PrintWriter out = spec.commandLine().getOut();
      out.println("\nSUMMARY\n");
      String format = "%-15s %-32s %-32s %-32s %-15s%n";
      out.printf(format, "Container", "Image ID before update", "Image ID after update", "Latest image ID", "Status");
      boolean tty = System.console() != null;
      for (ContainerUpdate r : rows) {
        out.printf(format, r.container(), r.before(), r.after(), r.latest(), colour(r.status(), tty));
      }
      out.flush();
      return 0;
    }

    /** atomic's colours, on a terminal only: red for failures, yellow for unknown, green for updated. */
    private static String colour(UpdateStatus s, boolean tty) {
      if (!tty) {
        return s.text();
      }
      int code = s == UpdateStatus.UNKNOWN ? 33
          : s == UpdateStatus.FAILED || s == UpdateStatus.NOT_UPDATED ? 31 : 32;
      return "\u001b[1;" + code + "m" + s.text() + "\u001b[0m";
    }
  }

  @Command(name = "delete", description = "Delete containers, as uninstall does; their images stay.")
  static final class Delete implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = {"-f", "--force"}, description = "Accepted for atomic compatibility; no effect.")
    boolean force;

    @Option(names = {"-a", "--all"}, description = "Delete every container.")
    boolean all;

    @Option(names = {"-y", "--assumeyes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> names = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (all == !names.isEmpty()) {
        throw new LifecycleException("You must select --all or provide a list of containers to delete.");
      }
      SystemContainers facade = Facade.open(common, spec);
      List<ContainerSummary> installed = facade.listContainers().setAll(true).call();
      List<ContainerSummary> targets = new ArrayList<>();
      for (String n : all ? installed.stream().map(ContainerSummary::name).toList() : names) {
        targets.add(installed.stream().filter(c -> c.name().equals(n)).findFirst()
            .orElseThrow(() -> new LifecycleException(
                "System container '" + n + "' is not installed; see containers list -a")));
      }
      if (targets.isEmpty()) {
        throw new LifecycleException("No containers to delete");
      }
      List<String> rows = new ArrayList<>();
      String row = "   %-12s %-20s %-25s %-10s";
      rows.add(String.format(row, "ID", "NAME", "IMAGE_NAME", "STORAGE"));
      for (ContainerSummary c : targets) {
        rows.add(String.format(row, cut(c.name(), 12), cut(c.name(), 20), cut(c.image(), 25), "ostree"));
      }
      if (!DeleteConfirmation.ask(spec, yes || Main.assumeYes(spec), "containers", rows, names)) {
        return DeleteConfirmation.ABORTED;
      }
      for (ContainerSummary c : targets) {
        facade.uninstall().setName(c.name()).call();
      }
      return 0;
    }
  }

  private static String cut(String s, int w) {
    return s.length() <= w ? s : s.substring(0, w);
  }

  @Command(name = "rollback", description = "Go back to the previous deployment of a container.")
  static final class RollbackCmd implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "CONTAINER")
    String name;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      var facade = Facade.open(common, spec);
      spec.commandLine().getOut().println("Attempting to roll back system container: " + name);
      facade.rollback().setName(name).call();
      return 0;
    }
  }

  @Command(name = "list", description = "List containers (running ones, or all with -a).")
  static final class ListContainers implements Callable<Integer> {
    /** atomic's filter keys, in the order its message lists them. */
    static final List<String> FILTERS =
        List.of("container", "image", "command", "created", "state", "runtime", "backend");

    @Mixin CommonOptions common;

    @Mixin ListOptions list;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ListFilter filter = ListFilter.parse(list.filters, FILTERS, false);
      List<ContainerSummary> rows = Facade.open(common, spec).listContainers().setAll(list.all).call().stream()
          .filter(c -> filter.matches(k -> field(c, k)))
          .toList();
      PrintWriter out = spec.commandLine().getOut();
      if (list.json) {
        ObjectMapper m = new ObjectMapper();
        ArrayNode arr = m.createArrayNode();
        for (ContainerSummary c : rows) {
          ObjectNode o = arr.addObject();
          o.put("id", c.name());
          o.put("image_id", c.imageId());
          o.put("image_name", c.image());
          o.put("name", c.name());
          o.put("command", c.command());
          o.put("created", CREATED.format(c.created()));
          o.put("state", c.state());
          o.put("backend", "ostree");
          o.put("runtime", c.runtime());
          o.put("vulnerable", false);
          o.put("running", c.running());
          o.put("auto_update", c.autoUpdate().orElse(""));
        }
        out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        return 0;
      }
      if (list.quiet) {
        rows.forEach(c -> out.println(cut(c.name(), 12)));
        return 0;
      }
      if (rows.isEmpty()) {
        return 0;
      }
      int idW = list.noTrunc ? Math.max(12, rows.stream().mapToInt(c -> c.name().length()).max().orElse(0)) : 12;
      int imgW = list.noTrunc ? Math.max(20, rows.stream().mapToInt(c -> c.image().length()).max().orElse(0)) : 20;
      int nameW = list.noTrunc ? idW : 10;
      int cmdW = list.noTrunc ? Math.max(10, rows.stream().mapToInt(c -> c.command().length()).max().orElse(0)) : 10;
      String fmt = "%-2s %-" + idW + "s %-" + imgW + "s %-" + nameW + "s %-" + cmdW + "s %-16s %-10s %-10s %-10s%n";
      if (!list.noHeading) {
        out.printf(fmt, " ", "CONTAINER ID", "IMAGE", "NAME", "COMMAND", "CREATED", "STATE", "BACKEND", "RUNTIME");
      }
      for (ContainerSummary c : rows) {
        out.printf(
            fmt, " ", cut(c.name(), idW), cut(c.image(), imgW), cut(c.name(), nameW), cut(c.command(), cmdW),
            cut(CREATED.format(c.created()), 16), cut(c.state(), 10), "ostree",
            cut(c.runtime(), 10));
      }
      return 0;
    }

    /** A container's text for a filter key, as atomic compared it. */
    private static String field(ContainerSummary c, String key) {
      switch (key) {
        case "container":
          return c.name();
        case "image":
          return c.image();
        case "command":
          return c.command();
        case "created":
          return CREATED.format(c.created());
        case "state":
          return c.state();
        case "runtime":
          return c.runtime();
        case "backend":
          return "ostree";
        default:
          return null;
      }
    }

    private String cut(String s, int w) {
      return list.noTrunc || s.length() <= w ? s : s.substring(0, w);
    }
  }
}
