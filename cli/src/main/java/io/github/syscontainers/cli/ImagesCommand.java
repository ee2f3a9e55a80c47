package io.github.syscontainers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.api.DeleteImagesCommand;
import io.github.syscontainers.api.ImageDeletion;
import io.github.syscontainers.api.ImageDetails;
import io.github.syscontainers.api.ImageSummary;
import io.github.syscontainers.api.ImageUpdate;
import io.github.syscontainers.api.Pruned;
import io.github.syscontainers.api.SystemContainers;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code syscontainers images list|delete|tag|prune}: the images in the OSTree repository. */
@Command(
    name = "images",
    description = "Manage images in the OSTree repository.",
    subcommands = {
      ImagesCommand.ListImages.class,
      ImagesCommand.Delete.class,
      ImagesCommand.Tag.class,
      ImagesCommand.Prune.class,
      ImagesCommand.Info.class,
      ImagesCommand.Update.class
    })
final class ImagesCommand {
  private static final LocalTimes CREATED = new LocalTimes("yyyy-MM-dd HH:mm");

  @Command(name = "list", description = "List images.")
  static final class ListImages implements Callable<Integer> {
    /** atomic's filter keys, in the order its message lists them. */
    static final List<String> FILTERS =
        List.of("repo", "repository", "tag", "id", "image", "created", "size", "type", "is_dangling");

    @Mixin CommonOptions common;

    @Mixin ListOptions list;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ListFilter filter = ListFilter.parse(list.filters, FILTERS, true);
      List<ImageSummary> rows = Facade.open(common, spec).listImages().setAll(list.all).call().stream()
          .filter(r -> filter.matches(k -> field(r, k)))
          .toList();
      PrintWriter out = spec.commandLine().getOut();
      if (list.json) {
        ObjectMapper m = new ObjectMapper();
        ArrayNode arr = m.createArrayNode();
        for (ImageSummary r : rows) {
          if (r.repo().equals("<none>")) {
            continue;
          }
          ObjectNode o = arr.addObject();
          o.put("repo", r.repo());
          o.put("tag", r.tag());
          o.put("is_dangling", false);
          o.put("used", r.used());
          o.put("complete", r.complete());
          o.put("vulnerable", false);
          o.put("id", r.id());
          o.put("type", "image");
          o.put("created", CREATED.format(r.created()));
          o.put("virtual_size", size(r));
          o.put("backend", "ostree");
          o.putArray("vuln_info");
        }
        out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        return 0;
      }
      int idWidth = list.noTrunc ? 65 : 14;
      if (list.quiet) {
        rows.forEach(r -> out.println(list.noTrunc ? r.id() : r.id().substring(0, Math.min(12, r.id().length()))));
        return 0;
      }
      int repoW = Math.max(10, rows.stream().mapToInt(r -> r.repo().length()).max().orElse(0));
      int tagW = Math.max(3, rows.stream().mapToInt(r -> r.tag().length()).max().orElse(0));
      String fmt = "%-2s %-" + repoW + "s %-" + tagW + "s %-" + idWidth + "s %-18s %-14s %-10s%n";
      if (!list.noHeading) {
        out.printf(fmt, " ", "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "VIRTUAL SIZE", "TYPE");
      }
      for (ImageSummary r : rows) {
        String id = list.noTrunc ? r.id() : r.id().substring(0, Math.min(12, r.id().length()));
        out.printf(
            fmt, (r.complete() ? "" : "!") + (r.used() ? ">" : ""), r.repo(), r.tag(), id, CREATED.format(r.created()),
            size(r), "ostree");
      }
      if (rows.stream().anyMatch(r -> !r.complete())) {
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("Images marked ! miss stored layers (removed by fsck --repair, say): pull them again");
        err.flush();
      }
      return 0;
    }

    private static String size(ImageSummary r) {
      return r.virtualSize().isPresent() ? Sizes.convert(r.virtualSize().getAsLong()) : "";
    }

    /** A row's text for a filter key, as atomic compared it. */
    private static String field(ImageSummary r, String key) {
      switch (key) {
        case "repo":
        case "repository":
          return r.repo();
        case "tag":
          return r.tag();
        case "id":
        case "image":
          return r.id();
        case "created":
          return CREATED.format(r.created());
        case "size":
          return size(r);
        case "type":
          return "ostree";
        case "is_dangling":
          return "false";
        default:
          return null;
      }
    }
  }

  @Command(
      name = "delete",
      description = "Delete images (their refs; layers go at the next prune), or with --remote from their registry.")
  static final class Delete implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin SourceOptionsMixin source;

    @ArgGroup(exclusive = true)
    Where where;

    static final class Where {
      @Option(names = {"-f", "--force"}, description = "Accepted for atomic compatibility; no effect.")
      boolean force;

      @Option(names = "--remote", description = "Delete the image from its registry (the store is not touched).")
      boolean remote;
    }

    @Option(names = {"-a", "--all"}, description = "Delete every image of the store.")
    boolean all;

    @Option(names = {"-y", "--assumeyes"}, description = "Do not ask for confirmation (as the global -y).")
    boolean yes;

    @Parameters(arity = "0..*", paramLabel = "IMAGE")
    List<String> images = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (all == !images.isEmpty()) {
        throw new LifecycleException("You must select --all or provide a list of images to delete.");
      }
      boolean remote = where != null && where.remote;
      DeleteImagesCommand delete = Facade.open(common, spec).deleteImages().setAll(all)
          .addImage(images.toArray(String[]::new)).setRemote(remote).setSources(source.sources(common));
      if (remote) {
        return deleteRemote(delete);
      }
      List<String> names = delete.targets();
      if (names.isEmpty()) {
        throw new LifecycleException("No images to delete.");
      }
      int width = names.stream().mapToInt(String::length).max().orElse(0) + 2;
      List<String> rows = new ArrayList<>();
      rows.add(String.format("   %-" + width + "s %s", "IMAGE", "STORAGE"));
      names.forEach(n -> rows.add(String.format("   %-" + width + "s %s", n, "ostree")));
      if (!DeleteConfirmation.ask(spec, yes || Main.assumeYes(spec), "images", rows, images)) {
        return DeleteConfirmation.ABORTED;
      }
      delete.call();
      return 0;
    }

    /** atomic's {@code --remote}: each image marked for deletion in its registry, each failure said; 2 if any. */
    private int deleteRemote(DeleteImagesCommand delete) throws SystemContainersException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int status = 0;
      for (ImageDeletion d : delete.call()) {
        if (d.deleted()) {
          out.println("Image " + d.image() + " marked for deletion (" + d.digest().orElse("") + ")");
        } else {
          err.println("Failed to mark Image " + d.image() + " for deletion: " + d.failure().orElse(""));
          status = 2;
        }
      }
      out.flush();
      err.flush();
      return status;
    }
  }

  @Command(name = "update", description = "Pull an image's name again (all images with a registry with --all).")
  static final class Update implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin SourceOptionsMixin source;

    @Option(names = {"-f", "--force"}, description = "Not supported by OSTree images (atomic's flag).")
    boolean force;

    @Option(names = {"-a", "--all"}, description = "Update every image whose name has a registry.")
    boolean all;

    @Parameters(arity = "0..1", paramLabel = "IMAGE")
    String image;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws LifecycleException, SystemContainersException {
      if (force) {
        throw new LifecycleException("--force is not supported by ostree images");
      }
      if (all == (image != null)) {
        throw new LifecycleException("Name one image, or pass --all for every image with a registry in its name");
      }
      SystemContainers facade = Facade.open(common, spec);
      PrintWriter out = spec.commandLine().getOut();
      if (!all) {
        var stored = facade.pull().setImage(image).setSources(source.sources(common)).setProgress(source.progress())
            .call();
        out.println("Pulled " + stored.name() + " (" + stored.imageId().substring(0, 12) + ")");
        return 0;
      }
      List<ImageUpdate> rows =
          facade.updateImages().setSources(source.sources(common)).setProgress(source.progress()).call();
      out.println("\nSUMMARY\n");
      String format = "%-30s %-32s %-32s %-15s%n";
      out.printf(format, "Image", "Image ID before update", "Image ID after update", "Status");
      for (ImageUpdate r : rows) {
        out.printf(format, r.image(), r.before(), r.after(), r.status());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "tag", description = "Give an image another name.")
  static final class Tag implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "SRC")
    String src;

    @Parameters(index = "1", paramLabel = "TARGET")
    String target;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Facade.open(common, spec).tagImage().setSource(src).setTarget(target).call();
      return 0;
    }
  }

  @Command(name = "info", description = "Show an image's labels and the template variables it takes.")
  static final class Info implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--remote", description = "Not available for OSTree images (atomic's flag); refused.")
    boolean remote;

    @Option(names = "--json", description = "Print the report as JSON, with where the image came from and what"
        + " accepted it.")
    boolean json;

    @Parameters(paramLabel = "IMAGE")
    String image;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws LifecycleException, SystemContainersException {
      if (remote) {
        throw new LifecycleException("The --remote option cannot be used with the 'ostree' storage option.");
      }
      ImageDetails r = Facade.open(common, spec).imageInfo().setImage(image).call();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("name", r.name());
        ObjectNode labels = o.putObject("labels");
        r.labels().forEach(labels::put);
        ObjectNode defaults = o.putObject("defaults");
        r.defaults().forEach(defaults::put);
        r.mustSet().forEach(o.putArray("must_set")::add);
        o.put("signatures", r.signatures());
        o.put("pulled", r.pulled().toString());
        o.put("source", r.source().orElse(null));
        o.put("trust", r.trust());
        out.println(io.github.syscontainers.model.PythonJson.dumps(o));
        return 0;
      }
      out.println("Image Name: " + r.name());
      r.labels().forEach((k, v) -> out.println(k + ": " + v));
      if (!r.defaults().isEmpty()) {
        out.println("\n\nTemplate variables with default value, but overridable with --set:");
        r.defaults().forEach((k, v) -> out.println(k + ": " + v));
      }
      if (!r.mustSet().isEmpty()) {
        out.println("\n\nTemplate variables that has no default value, and must be set with --set:");
        r.mustSet().forEach(k -> out.println(k + ": {DEF_VALUE}"));
      }
      out.println("\n\nSignatures: " + r.signatures() + " stored with the image");
      r.source().ifPresent(s -> out.println("Pulled from: " + s + " at " + CREATED.format(r.pulled())));
      if (!r.trust().isEmpty()) {
        out.println("Trust: " + r.trust());
      }
      return 0;
    }
  }

  @Command(name = "prune", description = "Remove unused layers, objects and stale deployments.")
  static final class Prune implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws LifecycleException, SystemContainersException {
      Pruned r = Facade.open(common, spec).prune().call();
      String freed = r.bytesFreed() == 0 ? "0 B" : Sizes.convert(r.bytesFreed());
      spec.commandLine().getOut().println("Removed " + r.objectsDeleted() + " objects, " + freed + " freed");
      if (r.failures().isEmpty()) {
        return 0;
      }
      PrintWriter err = spec.commandLine().getErr();
      r.failures().forEach(f -> err.println("Could not remove " + f));
      err.println(r.failures().size() + " file(s) could not be removed (above); the rest was pruned. Fix their"
          + " permissions or file system, then run `images prune` again");
      err.flush();
      return 1;
    }
  }
}
