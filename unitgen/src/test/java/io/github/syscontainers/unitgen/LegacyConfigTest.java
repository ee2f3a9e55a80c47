package io.github.syscontainers.unitgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LegacyConfigTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void upgradesPreOneZeroFormsWithoutChangingMeaning() throws Exception {
    JsonNode c =
        JSON.readTree(
            "{\"process\":{\"capabilities\":[\"CAP_KILL\"]},\"linux\":{\"devices\":[{\"type\":\"c\",\"fileMode\":8630}],"
                + "\"rootfsPropagation\":\"rslave\"}}");
    assertThat(LegacyConfig.upgrade(c)).isTrue();
    assertThat(c.at("/process/capabilities/bounding/0").asText()).isEqualTo("CAP_KILL");
    assertThat(c.at("/process/capabilities/permitted/0").asText()).isEqualTo("CAP_KILL");
    assertThat(c.at("/linux/devices/0/fileMode").asInt()).isEqualTo(0666);
    assertThat(c.at("/linux/rootfsPropagation").asText()).isEqualTo("rslave");
    JsonNode nulls = JSON.readTree("{\"linux\":{\"devices\":null}}");
    assertThat(LegacyConfig.upgrade(nulls)).isTrue();
    assertThat(nulls.path("linux").has("devices")).isFalse();
    assertThat(LegacyConfig.upgrade(JSON.readTree("{\"root\":{\"path\":\"rootfs\"}}"))).isFalse();
  }
}
