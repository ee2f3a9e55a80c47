package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.Layout;
import io.github.syscontainers.lifecycle.LifecycleContext;
import io.github.syscontainers.lifecycle.LayoutResolver;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Notice;
import io.github.syscontainers.lifecycle.NoticeListener;
import io.github.syscontainers.registry.RegistriesConf;
import io.github.syscontainers.registry.RegistryException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;

/** Options every verb that touches host paths shares, and the wiring they imply. */
final class CommonOptions {
  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "Operate on an alternate root directory, as systemctl --root (image builders, tests).")
  Path root;

  @Option(names = "--storage", paramLabel = "STORAGE", description = "Only 'ostree' is supported (atomic's flag).")
  String storage;

  @Option(names = "--debug", description = "Log protocol detail and print stack traces.")
  boolean debug;

  Environment environment() {
    return Environment.current();
  }

  Layout layout(Environment env) throws LifecycleException {
    checkStorage();
    return LayoutResolver.resolve(env, Optional.ofNullable(root));
  }

  void checkStorage() throws LifecycleException {
    if (storage != null && !storage.equals("ostree")) {
      throw new LifecycleException(
          "The storage backend '" + storage + "' is not available.  Try with an alternate storage with --storage "
              + "if available.");
    }
  }

  /** The registries.conf of this command's root (the host's, or --root's): short names are looked up under it. */
  RegistriesConf registries() throws LifecycleException {
    try {
      return RegistriesConf.load(root == null ? Path.of("/") : root, System.getenv());
    } catch (RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  static Edge edge(Layout layout) {
    return Edge.real(layout);
  }


  /** Prints notices: information on stdout, warnings on stderr. */
  /** The context of a lifecycle operation on this command's host. */
  static LifecycleContext context(Environment env, Layout layout, CommandSpec spec) {
    return LifecycleContext.standard(env, layout, printer(spec));
  }

  static NoticeListener printer(CommandSpec spec) {
    return n -> {
      var w = n.level() == Notice.Level.INFO ? spec.commandLine().getOut() : spec.commandLine().getErr();
      w.println(n.text());
      w.flush();
    };
  }
}
