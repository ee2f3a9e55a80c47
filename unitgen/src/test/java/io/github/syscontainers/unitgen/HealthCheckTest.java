package io.github.syscontainers.unitgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 33: the health check as manifest.json and the info file hold it, and the info file's auto-update keys. */
class HealthCheckTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void manifestJsonNamesItsCheck() throws Exception {
    ExportsManifest m = ExportsManifest.parse(
        "{\"healthCheck\": {\"command\": [\"/app/healthy\", \"--quick\"], \"on\": \"host\", \"timeout\": 2.5,"
            + " \"retries\": 5, \"interval\": 0.25, \"startPeriod\": 4}}", "img");
    HealthCheck h = m.healthCheck().orElseThrow();
    assertThat(h).isEqualTo(new HealthCheck(List.of("/app/healthy", "--quick"), true, Duration.ofMillis(2500), 5,
        Duration.ofMillis(250), Duration.ofSeconds(4)));
    assertThat(ExportsManifest.parse("{}", "img").healthCheck()).isEmpty();
  }

  @Test
  void aStringRunsInAShellWithPodmansDefaults() throws Exception {
    HealthCheck h = HealthCheck.fromJson(JSON.readTree("{\"command\": \"curl -fs localhost:8080\"}"), "here");
    assertThat(h.command()).containsExactly("/bin/sh", "-c", "curl -fs localhost:8080");
    assertThat(h.onHost()).isFalse();
    assertThat(h.retries()).isEqualTo(HealthCheck.DEFAULT_RETRIES);
    assertThat(h.startPeriod()).isEqualTo(HealthCheck.DEFAULT_START_PERIOD);
  }

  @Test
  void unusableChecksAreRefusedByName() {
    assertThatThrownBy(() -> ExportsManifest.parse("{\"healthCheck\": {\"command\": [\"x\"], \"on\": \"moon\"}}",
        "img"))
        .hasMessage("manifest.json of img: \"healthCheck\".\"on\" is \"moon\"; use \"container\" or \"host\"");
    assertThatThrownBy(() -> ExportsManifest.parse("{\"healthCheck\": {\"command\": []}}", "img"))
        .hasMessageContaining("a health check needs a command");
    assertThatThrownBy(() -> ExportsManifest.parse("{\"healthCheck\": {\"command\": [\"x\"], \"retries\": 0}}",
        "img"))
        .hasMessageContaining("at least once");
  }

  @Test
  void theInfoFileKeepsThePolicyAndTheCheckAndOmitsThemWhenUnset() throws Exception {
    HealthCheck h = HealthCheck.shell("test -f /run/ok", true, Duration.ofSeconds(3), 2, Duration.ofSeconds(1),
        Duration.ZERO);
    InfoFile info = new InfoFile("img:1", "abc", "def", 7, Map.of("io.containers.autoupdate", "registry"), true,
        Map.of(), List.of(), Map.of(), "no", Optional.empty(), false, "/usr/bin/runc", Optional.of("/"),
        Optional.of("registry"), Optional.of(h));
    String text = info.toText();
    assertThat(text).contains("\"auto-update\": \"registry\"").contains("\"health-check\": {");
    assertThat(InfoFile.parse(text, "/usr/bin/runc")).isEqualTo(info);

    InfoFile plain = new InfoFile("img:1", "abc", "def", 7, Map.of(), true, Map.of(), List.of(), Map.of(), "no",
        Optional.empty(), false, "/usr/bin/runc", Optional.of("/"), Optional.empty(), Optional.empty());
    assertThat(plain.toText()).doesNotContain("auto-update").doesNotContain("health-check");
    assertThat(InfoFile.parse(plain.toText(), "/usr/bin/runc")).isEqualTo(plain);
  }

  @Test
  void setTakesThePolicyKeyThoughItIsNoTemplateVariable() throws Exception {
    assertThat(TemplateValues.parseSet(List.of("io.containers.autoupdate=local")))
        .containsEntry("io.containers.autoupdate", "local");
    assertThatThrownBy(() -> TemplateValues.parseSet(List.of("io.other=1")))
        .hasMessageContaining("cannot be a template variable");
  }
}
