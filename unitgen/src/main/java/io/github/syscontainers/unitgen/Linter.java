package io.github.syscontainers.unitgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a system image's build directory as the collection's {@code syscontainers-lint} did (§11.3): the
 * Dockerfile, the exports files, the config and unit templates, and the manifest defaults, with its messages and
 * levels. Fixed from the original: the known variables include every built-in, {@code $$} is not a variable, and a
 * mount without a type does not crash the check.
 */
public final class Linter {
  /** Files the linter looks at in the build directory. */
  static final List<String> ALL_FILES =
      List.of("config.json.template", "manifest.json", "service.template", "tmpfiles.template");

  /** Runs {@code git status} for a path: empty when the directory is not a git work tree. */
  public interface GitStatus {
    Optional<String> status(Path dir, String file);
  }

  /** How bad a finding is. */
  public enum Level {
    WARNING,
    ERROR
  }

  /** One finding: where, what, how bad. */
  public record Finding(Level level, String location, String message) {
    @Override
    public String toString() {
      return location + ": " + message;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Finding> findings = new ArrayList<>();
  private final Path dir;

  private Linter(Path dir) {
    this.dir = dir;
  }

  /**
   * Lints {@code dir}.
   *
   * @throws UnitGenException when the directory or its Dockerfile is missing, with atomic's messages
   */
  public static List<Finding> lint(Path dir, GitStatus git) throws UnitGenException {
    if (!Files.isDirectory(dir)) {
      throw new UnitGenException("The path " + dir + " does not exist");
    }
    Path dockerfile = dir.resolve("Dockerfile");
    if (!Files.isRegularFile(dockerfile)) {
      throw new UnitGenException("The Dockerfile is missing");
    }
    Linter l = new Linter(dir);
    l.dockerfile(read(dockerfile));
    l.git(git);
    Map<String, String> defaults = l.manifestDefaults();
    l.config(defaults);
    l.service(defaults);
    l.variables(defaults);
    return l.findings;
  }

  private void warn(String location, String message) {
    findings.add(new Finding(Level.WARNING, location, message));
  }

  private void error(String location, String message) {
    findings.add(new Finding(Level.ERROR, location, message));
  }

  private void dockerfile(String raw) {
    String text = raw.replaceAll("(?m)#.*$", "").replace("\\\n", " ");
    if (Pattern.compile("(?m)^\\s*MAINTAINER\\s+(.*)$").matcher(text).find()) {
      Matcher m = Pattern.compile("(?m)^\\s*MAINTAINER\\s+(.*)$").matcher(text);
      m.find();
      String who = m.group(1).strip();
      warn("Dockerfile", "Found MAINTAINER " + who + ".  Please use LABEL maintainer=" + who);
    }
    if (Pattern.compile("(?m)^\\s*(COPY|ADD)\\s.*\\s/export/?\\s*$").matcher(text).find()) {
      warn("Dockerfile", "Found /export.  Did you mean /exports/?");
    }
    if (Pattern.compile("(?m)^\\s*RUN\\s.*(dnf|yum).*install").matcher(text).find() && !text.contains("tsflags=nodocs")) {
      warn(
          "Dockerfile",
          "Found 'dnf/yum install' command without '--setopt=tsflags=nodocs'. Please add the flag to reduce image size"
              + " unless there is need for documentation.");
    }
    for (String f : ALL_FILES) {
      if (!Files.exists(dir.resolve(f))) {
        continue;
      }
      String q = Pattern.quote(f);
      if (Pattern.compile("(?m)^\\s*ADD\\s.*" + q + ".*\\s/exports/").matcher(text).find()) {
        warn("Dockerfile", "Found ADD for " + f + ".  Please use COPY");
      } else if (Pattern.compile("(?m)^\\s*COPY\\s.*" + q + ".*\\s/exports\\s*$").matcher(text).find()) {
        warn("Dockerfile", "Missing trailing / after exports");
      } else if (!Pattern.compile("(?m)^\\s*(ADD|COPY)\\s.*" + q + ".*\\s/exports/").matcher(text).find()) {
        warn("Dockerfile", "File " + f + " present but not added in the Dockerfile");
      }
    }
  }

  private void git(GitStatus git) {
    if (git.status(dir, ".").isEmpty()) {
      warn(dir.getFileName().toString(), "The project is not using git.  Why?");
      return;
    }
    List<String> files = new ArrayList<>(ALL_FILES);
    files.add("Dockerfile");
    for (String f : files) {
      if (Files.exists(dir.resolve(f)) && git.status(dir, f).orElse("").contains("modified")) {
        warn(f, "file has not staged changes");
      }
    }
  }

  private Map<String, String> manifestDefaults() throws UnitGenException {
    Path m = dir.resolve("manifest.json");
    if (!Files.isRegularFile(m)) {
      warn("manifest.json", "Missing manifest.json file. A default will be used.");
      return Map.of();
    }
    return ExportsManifest.parse(read(m), dir.getFileName().toString()).defaultValues();
  }

  private void config(Map<String, String> defaults) {
    String file;
    String text;
    if (Files.isRegularFile(dir.resolve("config.json"))) {
      error("config.json", "file found, it does not support template substitutions. Use config.json.template instead.");
      file = "config.json";
      text = read(dir.resolve("config.json"));
    } else if (Files.isRegularFile(dir.resolve("config.json.template"))) {
      file = "config.json.template";
      text = safeSubstitute(read(dir.resolve(file)), defaults);
    } else {
      warn("config.json.template", "Missing config.json.template file. A default will be used.");
      return;
    }
    JsonNode c;
    try {
      c = JSON.readTree(text);
    } catch (IOException e) {
      error(file, "is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    for (JsonNode mount : c.path("mounts")) {
      String source = mount.path("source").asText("");
      if (mount.has("source") && "rbind".equals(mount.path("type").asText(""))) {
        error(file, "Unknown mount type rbind.  Use bind");
      }
      if (source.startsWith("/var/lib")) {
        warn(file, "found mount point /var/lib.  Use ${STATE_DIRECTORY} instead");
      }
      if (source.startsWith("/run")) {
        warn(file, "found mount point /run.  Use ${RUN_DIRECTORY} instead");
      }
    }
    if (!"rootfs".equals(c.path("root").path("path").asText())) {
      warn(file, "root/path must be 'rootfs'");
    }
    if (!c.path("root").path("readonly").asBoolean(false)) {
      error(file, "root/readonly must be true");
    }
    if (!c.path("process").has("terminal") || c.path("process").path("terminal").asBoolean(true)) {
      error(file, "process/terminal must be false");
    }
    if (c.path("linux").has("selinuxProcessLabel")) {
      error(file, "linux/selinuxProcessLabel not valid.  Use process/selinuxLabel");
    }
  }

  private void service(Map<String, String> defaults) {
    Path p = dir.resolve("service.template");
    if (!Files.isRegularFile(p)) {
      warn("service.template", "Missing service.template file. A default will be used.");
      return;
    }
    String text = safeSubstitute(read(p), defaults);
    directive(text, "ExecStart", "EXEC_START", "ExecStart can be automatically generated.  You can use ExecStart=$EXEC_START");
    directive(text, "ExecStop", "EXEC_STOP", "ExecStop can be automatically generated.  You can use ExecStop=$EXEC_STOP");
    directive(
        text, "WorkingDirectory", "DESTDIR",
        "WorkingDirectory should be the container checkout directory.  WorkingDirectory=$DESTDIR");
  }

  private void directive(String text, String key, String variable, String advice) {
    Matcher m = Pattern.compile("(?m)^\\s*" + key + "=(.*)$").matcher(text);
    if (!m.find()) {
      warn("service.template", "Could not find " + key + "=");
    } else if (!m.group(1).contains(variable)) {
      warn("service.template", advice);
    }
  }

  private void variables(Map<String, String> defaults) {
    Set<String> used = new LinkedHashSet<>();
    for (String f : ALL_FILES) {
      if (f.endsWith(".template") && Files.isRegularFile(dir.resolve(f))) {
        used.addAll(TemplateSubstitutor.placeholders(read(dir.resolve(f))));
      }
    }
    for (String v : used) {
      boolean builtIn =
          TemplateValues.FORCED.contains(v) || TemplateValues.OVERRIDABLE.contains(v) || v.equals("RUNTIME")
              || v.equals("ATOMIC");
      if (!builtIn && !defaults.containsKey(v)) {
        warn("manifest.json", "Missing default value for " + v);
      }
    }
  }

  /** Python's {@code safe_substitute}: known names replaced, everything else left as it is. */
  static String safeSubstitute(String text, Map<String, String> values) {
    Matcher m = Pattern.compile("\\$(?:(\\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\\{([_a-zA-Z][_a-zA-Z0-9]*)\\})").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2) != null ? m.group(2) : m.group(3);
      String replacement = m.group(1) != null ? "$" : values.containsKey(name) ? values.get(name) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
