package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.Layout;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.StoredSignatures;
import io.github.syscontainers.lifecycle.Verifier;
import io.github.syscontainers.model.PythonJson;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
  public Integer call() throws LifecycleException {
    Environment env = common.environment();
    Layout layout = common.layout(env);
    Verifier verifier = new Verifier(layout, CommonOptions.edge(layout), Clock.systemUTC());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (repair) {
      List<Verifier.Modified> restored =
          verifier.repair(name, Optional.ofNullable(source), sourceOptions.sourceOptions(common), sourceOptions.platform());
      restored.forEach(m -> out.println("Restored " + m.path()));
      out.println("Container " + name + ": all files match the repository");
      return 0;
    }
    List<Verifier.Modified> modified = verifier.verify(name);
    StoredSignatures.Report trust = verifier.signatures(name, trustCheck());
    if (sourceOptions.json) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("name", name);
      o.put("image", trust.image());
      ArrayNode files = o.putArray("modified");
      modified.forEach(m -> files.addObject().put("path", m.path()).put("object", m.object().hex())
          .put("detail", m.detail()));
      o.putObject("signatures").put("count", trust.signatures()).put("accepted", trust.accepted())
          .put("detail", trust.detail()).put("recorded", trust.recorded());
      out.println(PythonJson.dumps(o));
      return modified.isEmpty() && trust.accepted() ? 0 : 1;
    }
    if (modified.isEmpty()) {
      out.println("Container " + name + ": all files match the repository");
    }
    String sigs = trust.signatures() + " signature" + (trust.signatures() == 1 ? "" : "s");
    if (trust.accepted()) {
      out.println("Image " + trust.image() + " (" + sigs + "): " + trust.detail());
    }
    out.flush();
    for (Verifier.Modified m : modified) {
      err.println("Modified: " + m.path() + " (object " + m.object() + ": " + m.detail() + ")");
    }
    if (!modified.isEmpty()) {
      err.println(
          modified.size() + " file(s) of " + name + " changed in place, and with them the shared objects; run"
              + " `syscontainers verify --repair " + name + "` to fetch the image again and restore them");
    }
    if (!trust.accepted()) {
      err.println("Image " + trust.image() + " (" + sigs + ") is no longer accepted: " + trust.detail());
    }
    err.flush();
    return modified.isEmpty() && trust.accepted() ? 0 : 1;
  }

  /** Today's signature policy of this command's root. */
  private TrustCheck trustCheck() throws LifecycleException {
    try {
      return TrustCheck.load(sourceOptions.trustPaths.settings(common, false, false, Optional.empty()),
          Clock.systemUTC());
    } catch (TrustException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }
}
