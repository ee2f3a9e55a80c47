package io.github.syscontainers.cli;

import io.github.syscontainers.api.ModifiedFile;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.api.Verified;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.PythonJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code syscontainers verify NAME}: name the rootfs files of a container whose shared object changed, and check the
 * signatures stored with its image against today's policy, offline.
 */
@Command(
    name = "verify",
    description = "Check a container's hard-linked rootfs files against the repository, and its image's stored"
        + " signatures against today's signature policy.")
final class VerifyCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin SourceOptionsMixin sourceOptions;

  @Option(names = "--repair", description = "Fetch the image again and re-link the changed files.")
  boolean repair;

  @Option(names = "--source", paramLabel = "IMAGE", description = "Where to fetch the image again (default: its name).")
  String source;

  @Parameters(paramLabel = "NAME")
  String name;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws LifecycleException, SystemContainersException {
    var verify = Facade.open(common, spec).verify().setName(name).setRepair(repair).setSource(source)
        .setSources(sourceOptions.sources(common)).setProgress(sourceOptions.progress());
    Verified v = verify.call();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (repair) {
      v.restored().forEach(m -> out.println("Restored " + m.path()));
      out.println("Container " + name + ": all files match the repository");
      return 0;
    }
    if (sourceOptions.json) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("name", name);
      o.put("image", v.image());
      ArrayNode files = o.putArray("modified");
      v.modified().forEach(m -> files.addObject().put("path", m.path()).put("object", m.object())
          .put("detail", m.detail()));
      o.putObject("signatures").put("count", v.signatures()).put("accepted", v.accepted())
          .put("detail", v.trustDetail()).put("recorded", v.recorded());
      out.println(PythonJson.dumps(o));
      return v.ok() ? 0 : 1;
    }
    if (v.modified().isEmpty()) {
      out.println("Container " + name + ": all files match the repository");
    }
    String sigs = v.signatures() + " signature" + (v.signatures() == 1 ? "" : "s");
    if (v.accepted()) {
      out.println("Image " + v.image() + " (" + sigs + "): " + v.trustDetail());
    }
    out.flush();
    for (ModifiedFile m : v.modified()) {
      err.println("Modified: " + m.path() + " (object " + m.object() + ": " + m.detail() + ")");
    }
    if (!v.modified().isEmpty()) {
      err.println(
          v.modified().size() + " file(s) of " + name + " changed in place, and with them the shared objects; run"
              + " `syscontainers verify --repair " + name + "` to fetch the image again and restore them");
    }
    if (!v.accepted()) {
      err.println("Image " + v.image() + " (" + sigs + ") is no longer accepted: " + v.trustDetail());
    }
    err.flush();
    return v.ok() ? 0 : 1;
  }
}
