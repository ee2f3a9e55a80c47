package io.github.syscontainers.api;

import io.github.syscontainers.checkout.CheckoutException;
import io.github.syscontainers.checkout.Deployments;
import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.Layout;
import io.github.syscontainers.lifecycle.LifecycleContext;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Notice;
import io.github.syscontainers.lifecycle.NoticeListener;
import io.github.syscontainers.unitgen.InfoFile;
import io.github.syscontainers.unitgen.UnitGenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** What every command of one facade shares: the environment, the layout, where messages go. */
final class Session {
  private final Environment env;
  private final Layout layout;
  private final Optional<Path> root;
  private final Consumer<Message> messages;

  Session(Environment env, Layout layout, Optional<Path> root, Consumer<Message> messages) {
    this.env = env;
    this.layout = layout;
    this.root = root;
    this.messages = messages;
  }

  Environment env() {
    return env;
  }

  Layout layout() {
    return layout;
  }

  /** The root the host files live under: the alternate root, or {@code /}. */
  Path hostRoot() {
    return root.orElse(Path.of("/"));
  }

  NoticeListener notices() {
    return n -> messages.accept(new Message(n.level() == Notice.Level.WARNING, n.text()));
  }

  LifecycleContext context() {
    return LifecycleContext.standard(env, layout, notices());
  }

  /** The container's active deployment, read back from disk. */
  Installed installed(String verb, String name) throws SystemContainersException {
    try {
      Optional<Path> active = new Deployments(layout.checkoutDir()).active(name);
      if (active.isEmpty()) {
        throw new SystemContainersException(verb, name, "System container '" + name + "' is not installed", 1, null);
      }
      Path d = active.get();
      String infoText = Files.readString(d.resolve("info"));
      InfoFile info = InfoFile.parse(infoText, "runc");
      Map<String, String> values = new LinkedHashMap<>();
      info.values().forEach((k, v) -> values.put(k, String.valueOf(v)));
      Path rootfs = d.resolve("rootfs");
      Path unit = d.resolve(name + ".service");
      Path tmpfiles = d.resolve("tmpfiles-" + name + ".conf");
      return new Installed(
          name,
          info.image(),
          info.revision(),
          d,
          Files.isSymbolicLink(rootfs) ? Files.readSymbolicLink(rootfs) : rootfs,
          Files.isRegularFile(d.resolve("config.json")) ? Files.readString(d.resolve("config.json")) : "",
          Files.isRegularFile(unit) ? Optional.of(Files.readString(unit)) : Optional.empty(),
          Files.isRegularFile(tmpfiles) ? Optional.of(Files.readString(tmpfiles)) : Optional.empty(),
          infoText,
          values,
          info.autoUpdate());
    } catch (CheckoutException | UnitGenException e) {
      throw new SystemContainersException(verb, name, e.getMessage(), 1, e);
    } catch (IOException e) {
      throw new SystemContainersException(verb, name, "Cannot read the deployment of " + name + ": " + e.getMessage()
          + "; reinstall the container", 1, e);
    }
  }

  /** This session with another repository ({@code ATOMIC_OSTREE_REPO}), as {@code ostree:NAME@/REPO} names one. */
  Session withRepository(Path repo) throws LifecycleException {
    Map<String, String> vars = new LinkedHashMap<>(env.variables());
    vars.put("ATOMIC_OSTREE_REPO", repo.toString());
    Environment other = new Environment(vars, env.uid(), env.gid(), env.home(), env.atomicConf());
    return new Session(other, io.github.syscontainers.lifecycle.LayoutResolver.resolve(other, root), root, messages);
  }

  /** The registries.conf of the root: short names are looked up under it. */
  io.github.syscontainers.registry.RegistriesConf registries() throws LifecycleException {
    try {
      return io.github.syscontainers.registry.RegistriesConf.load(hostRoot(), env.variables());
    } catch (io.github.syscontainers.registry.RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** The store's images, short names resolved as the root's registries.conf says. */
  io.github.syscontainers.lifecycle.ImageCatalog catalog() throws LifecycleException {
    return new io.github.syscontainers.lifecycle.ImageCatalog(layout, io.github.syscontainers.lifecycle.Edge.real(layout),
        java.time.Clock.systemUTC(), registries());
  }

  /** Requires a setter's value before a call. */
  static <T> T required(T value, String verb, String what) throws SystemContainersException {
    if (value == null) {
      throw new SystemContainersException(verb, null, "No " + what + " given: set it before call()", 2, null);
    }
    return value;
  }

  static SystemContainersException failure(String verb, String subject, LifecycleException e) {
    return new SystemContainersException(verb, subject, e.getMessage(), e.exitCode(), e);
  }
}
