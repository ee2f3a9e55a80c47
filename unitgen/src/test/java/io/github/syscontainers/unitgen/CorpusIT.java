package io.github.syscontainers.unitgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every image of the original collection (../shared/corpus) and the templates kept as our own fixtures, through
 * the generator: config.json valid under the OCI runtime-spec JSON schema (a test resource), the unit accepted by systemd-analyze verify, the tmpfiles conf applied
 * by systemd-tmpfiles --root. Variables a manifest leaves unset are supplied as --set would.
 */
class CorpusIT {
  /** The OCI runtime-spec schema, shipped as a test resource (see its README). */
  static final Path SCHEMA = Path.of("src/test/resources/runtime-spec-schema/config-schema.json").toAbsolutePath();
  static final HostContext HOST = new HostContext(true, 0, 0, "/root", "", 40, "/usr/bin/syscontainers", "root");
  static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> images() throws Exception {
    List<Path> dirs = new ArrayList<>();
    Path own = Path.of("src/test/resources/corpus").toAbsolutePath();
    try (Stream<Path> s = Files.list(own)) {
      s.sorted().forEach(dirs::add);
    }
    Path shared = findShared();
    if (shared == null) {
      String reason = "../shared/corpus/atomic-system-containers is not here; only the project's own fixtures run";
      if (Peers.underCi()) {
        Assertions.fail(reason);
      }
      System.err.println(reason);
    } else {
      try (Stream<Path> s = Files.list(shared)) {
        s.filter(Files::isDirectory).sorted().forEach(dirs::add);
      }
    }
    return dirs.stream();
  }

  static Path findShared() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path c = p.resolve("shared/corpus/atomic-system-containers");
      if (Files.isDirectory(c)) {
        return c;
      }
      p = p.getParent();
    }
    return null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void generatesValidFilesForEveryImage(Path image, @TempDir Path tmp) throws Exception {
    Path exportsPath = Files.isDirectory(image.resolve("exports")) ? image.resolve("exports") : image;
    ExportsDir exports = new ExportsDir(exportsPath);
    String name = image.getFileName().toString();
    ExportsManifest manifest =
        exports.read("manifest.json").isPresent()
            ? ExportsManifest.parse(exports.read("manifest.json").get(), name)
            : ExportsManifest.DEFAULT;
    String unitTemplate = UnitRenderer.template(exports);
    RuntimeFeatures runc = new RuntimeFeatures(Peers.require("runc").toString(), true, true);
    TemplateValues.Inputs inputs =
        new TemplateValues.Inputs(
            name, "/var/lib/containers/atomic/" + name + ".0", name + ":latest", "0".repeat(64), manifest, runc,
            unitTemplate);
    Map<String, Object> values = TemplateValues.amend(unset(exports, manifest), inputs, HOST, () -> "uuid");

    String config = ConfigJson.render(exports, values, ProcessDefaults.NONE);
    List<String> missing =
        ConfigJson.validate(config, name + "/config.json", false, Path.of("/"), ConfigJson.suspects(exports, values));
    JsonNode node = JSON.readTree(config);
    assertThat(node.path("root").path("readonly").asBoolean()).isTrue();
    assertThat(SCHEMA).exists();
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(SchemaLocation.of(SCHEMA.toUri().toString()));
    // runc accepts the recursive propagation forms (rslave, …) the spec text does not list; they are kept as written
    List<String> errors =
        schema.validate(node).stream()
            .map(ValidationMessage::getMessage)
            .filter(m -> !(m.startsWith("$.linux.rootfsPropagation") && node.path("linux").path("rootfsPropagation").asText().startsWith("r")))
            .toList();
    assertThat(errors).as(name + " config.json:\n" + config).isEmpty();

    Path unit = tmp.resolve(name + ".service");
    Files.writeString(unit, UnitRenderer.render(exports, unitTemplate, values));
    Exec.Result verify = Exec.run(List.of(Peers.require("systemd-analyze").toString(), "verify", unit.toString()));
    assertThat(verify.exitCode()).as(name + ": " + verify.output() + "\n" + Files.readString(unit)).isZero();

    String tmpfiles = TmpfilesRenderer.render(exports, values, missing, 0, 0);
    if (!tmpfiles.isEmpty()) {
      Path conf = tmp.resolve(name + ".conf");
      Files.writeString(conf, tmpfiles);
      Path root = Files.createDirectories(tmp.resolve("root"));
      Exec.Result r =
          Exec.run(
              List.of(
                  Peers.require("systemd-tmpfiles").toString(), "--root=" + root, "--create", conf.toString()));
      assertThat(r.exitCode()).as(name + ": " + r.output() + "\n" + tmpfiles).isZero();
    }
  }

  /** Values for the variables the templates use that nothing else sets, as a user's --set would give them. */
  static Map<String, String> unset(ExportsDir exports, ExportsManifest manifest) throws UnitGenException {
    Set<String> used = new LinkedHashSet<>();
    for (String t : List.of("config.json.template", "service.template", "tmpfiles.template")) {
      exports.read(t).ifPresent(text -> used.addAll(TemplateSubstitutor.placeholders(text)));
    }
    Map<String, String> set = new LinkedHashMap<>();
    for (String v : used) {
      if (!TemplateValues.FORCED.contains(v) && !TemplateValues.OVERRIDABLE.contains(v)
          && !manifest.defaultValues().containsKey(v) && !v.equals("RUNTIME") && !v.equals("ATOMIC")) {
        set.put(v, "set-" + v.toLowerCase(java.util.Locale.ROOT));
      }
    }
    return set;
  }
}
