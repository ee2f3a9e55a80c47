package io.github.syscontainers.unitgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The template-related messages of §12, exactly as atomic printed them (scripts grep for them). */
class MessagesTest {
  @TempDir Path tmp;

  ExportsDir exports(Map<String, String> files) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("exports"));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    return new ExportsDir(dir);
  }

  @Test
  void unreplacedValuesNameTheTemplateAtomicNamed() throws Exception {
    ExportsDir e =
        exports(
            Map.of(
                "config.json.template", "{\"a\": \"$NOPE_CONFIG\"}",
                "service.template", "ExecStart=$NOPE_UNIT\n",
                "tmpfiles.template", "d /x/$NOPE_TMPFILES\n"));
    Map<String, Object> none = Map.of();
    assertThatThrownBy(() -> ConfigJson.render(e, none, ProcessDefaults.NONE))
        .hasMessage(
            "The template file '" + e.file("config.json.template") + "' still contains an unreplaced value for:"
                + " ''NOPE_CONFIG''");
    assertThatThrownBy(() -> UnitRenderer.render(e, UnitRenderer.template(e), none))
        .hasMessage(
            "The template file '" + e.file("service.template") + "' still contains an unreplaced value for:"
                + " ''NOPE_UNIT''");
    // atomic reports tmpfiles errors under the service template's name
    assertThatThrownBy(() -> TmpfilesRenderer.render(e, none, List.of(), 0, 0))
        .hasMessage(
            "The template file '" + e.file("service.template") + "' still contains an unreplaced value for:"
                + " ''NOPE_TMPFILES''");
    assertThatThrownBy(() -> TemplateSubstitutor.substitute("$CONF/$X", Map.of("CONF", "/etc"), "manifest.json"))
        .hasMessage("The template file 'manifest.json' still contains an unreplaced value for: ''X''");
    assertThatThrownBy(() -> TemplateSubstitutor.substitute("a\n$(x)", none, "f"))
        .hasMessage("Invalid placeholder in string: line 2, col 1");
  }

  @Test
  void configAndManifestChecks() throws Exception {
    assertThatThrownBy(() -> ExportsManifest.parse("{nope", "etcd:latest"))
        .hasMessage("Invalid manifest.json file in image: etcd:latest.");
    assertThatThrownBy(() -> ConfigJson.validate("{", "/d/config.json", false, tmp, List.of()))
        .hasMessageStartingWith("Invalid json in configuration file: /d/config.json.");
    assertThatThrownBy(() -> ConfigJson.validate("{\"root\":{\"path\":\"rootfs\"}}", "c", false, tmp, List.of()))
        .hasMessage("Invalid configuration file.  Only readonly images are supported");
    assertThatThrownBy(
            () -> ConfigJson.validate("{\"root\":{\"path\":\"x\",\"readonly\":true}}", "c", false, tmp, List.of()))
        .hasMessage("Invalid configuration file.  Path must be 'rootfs'");
    assertThat(ConfigJson.validate("{\"root\":{\"path\":\"/remote\",\"readonly\":true}}", "c", true, tmp, List.of()))
        .isEmpty();
    assertThat(ConfigJson.validate("{}", "c", false, tmp, List.of())).isEmpty();
  }

  @Test
  void missingBindSourcesBecomeAtomicsTmpfilesLines() throws Exception {
    Files.createDirectories(tmp.resolve("present"));
    String config =
        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"mounts\":["
            + "{\"type\":\"bind\",\"source\":\"/present\",\"destination\":\"/a\"},"
            + "{\"type\":\"bind\",\"source\":\"/missing/one\",\"destination\":\"/b\"},"
            + "{\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"destination\":\"/c\"}]}";
    List<String> missing = ConfigJson.validate(config, "c", false, tmp, List.of());
    assertThat(missing).containsExactly("/missing/one");
    assertThat(TmpfilesRenderer.render(exports(Map.of()), Map.of(), missing, 1000, 100))
        .isEqualTo("d    /missing/one   0700 1000 100 - -\n");
    assertThat(TmpfilesRenderer.render(exports(Map.of("tmpfiles.template", "")), Map.of(), missing, 0, 0)).isEmpty();
  }
}
