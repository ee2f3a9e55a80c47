package io.github.syscontainers.junit;

import io.github.syscontainers.api.InstallCommand;
import io.github.syscontainers.api.Installed;
import io.github.syscontainers.api.SystemContainers;
import io.github.syscontainers.api.SystemContainersException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Installs the {@link SystemContainer}s a test class names: static fields once for the class, instance fields and
 * parameters for each test; each in its own root (a fresh temporary directory holding the store, the checkout, the
 * units and the host files, as {@code --root} makes them), removed afterwards, or kept when the test failed and the
 * annotation asks. No systemd is needed: the alternate root is prepared, not started.
 */
public final class SystemContainersExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SystemContainersExtension.class);
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  /** The roots made at one level (class or test), to remove when it ends. */
  private static final class Roots {
    final List<Path> paths = new ArrayList<>();
    boolean keepOnFailure;
    boolean failed;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // the class's static initializer runs first: it may make the image and set the properties its annotations name
    Class<?> type = context.getRequiredTestClass();
    Class.forName(type.getName(), true, type.getClassLoader());
    for (Field f : fields(type)) {
      if (Modifier.isStatic(f.getModifiers())) {
        f.setAccessible(true);
        f.set(null, install(f.getAnnotation(SystemContainer.class), roots(context), f.getName()));
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field f : fields(instance.getClass())) {
        if (!Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          f.set(instance, install(f.getAnnotation(SystemContainer.class), roots(context), f.getName()));
        }
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    boolean failed = context.getExecutionException().isPresent();
    if (failed) {
      context.getParent().ifPresent(p -> roots(p).failed = true);
    }
    clean(context, roots(context), failed);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    Roots r = roots(context);
    clean(context, r, r.failed || context.getExecutionException().isPresent());
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == ContainerUnderTest.class && p.isAnnotated(SystemContainer.class);
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    SystemContainer spec = p.findAnnotation(SystemContainer.class).orElseThrow();
    try {
      return install(spec, roots(e), p.getParameter().getName());
    } catch (SystemContainersException | IOException ex) {
      throw new ParameterResolutionException("Could not install " + spec.image() + ": " + ex.getMessage(), ex);
    }
  }

  /**
   * The roots of one level. Keyed by the level's id: a store falls back to its parent's for a key it lacks, so one key
   * for all levels would hand a test the class's roots, and its end would remove the class's containers.
   */
  private static Roots roots(ExtensionContext context) {
    return context.getStore(NS).getOrComputeIfAbsent(context.getUniqueId(), k -> new Roots(), Roots.class);
  }

  private static List<Field> fields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.isAnnotationPresent(SystemContainer.class)) {
          if (f.getType() != ContainerUnderTest.class) {
            throw new ExtensionConfigurationException("@SystemContainer field " + c.getSimpleName() + "." + f.getName()
                + " is a " + f.getType().getSimpleName() + "; declare it as ContainerUnderTest");
          }
          out.add(f);
        }
      }
    }
    return out;
  }

  /** Installs {@code spec} into a new root registered with {@code roots}. */
  static ContainerUnderTest install(SystemContainer spec, Roots roots, String what)
      throws SystemContainersException, IOException {
    Path root = Files.createTempDirectory("syscontainers-junit-");
    roots.paths.add(root);
    roots.keepOnFailure |= spec.keepOnFailure();
    SystemContainers system = SystemContainers.open(root);
    InstallCommand install = system.install().setImage(image(spec.image(), what)).setTlsVerify(spec.tlsVerify());
    if (!spec.name().isEmpty()) {
      install.setName(spec.name());
    }
    for (String kv : spec.set()) {
      int eq = kv.indexOf('=');
      if (eq < 1) {
        throw new ExtensionConfigurationException("@SystemContainer on " + what + ": set value \"" + kv
            + "\" is not NAME=VALUE");
      }
      install.setValue(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Installed installed = install.call();
    return new ContainerUnderTest(installed.name(), root, system);
  }

  /** The image with each {@code ${property}} replaced by the system property's value. */
  static String image(String image, String what) {
    Matcher m = PROPERTY.matcher(image);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = System.getProperty(m.group(1));
      if (value == null) {
        throw new ExtensionConfigurationException("@SystemContainer on " + what + " names ${" + m.group(1)
            + "}, but no system property of that name is set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static void clean(ExtensionContext context, Roots r, boolean failed) throws IOException {
    if (failed && r.keepOnFailure) {
      for (Path p : r.paths) {
        // where a failed test's root is, in the test report (the IDE and Surefire show it)
        context.publishReportEntry("syscontainers root kept", p.toString());
      }
      r.paths.clear();
      return;
    }
    for (Path p : r.paths) {
      delete(p);
    }
    r.paths.clear();
  }

  /** Removes a root: the read-only checkout's directories are made writable first. */
  static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        dir.toFile().setWritable(true, true);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
