package io.github.syscontainers.unitgen;

import io.github.syscontainers.model.PythonJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** atomic's user-mode rewrite (§7.6), checked field by field on runc's default spec. */
class UserNamespaceTest {
  @Test
  void rewritesRuncsDefaultForAUserContainer() throws Exception {
    String spec = PythonJson.dumps(ConfigJson.defaultConfig(ProcessDefaults.NONE));
    String out =
        UserNamespace.rewrite(
            spec, 1000, "alice", List.of("alice:100000:65536", "bob:200000:65536"), List.of("alice:300000:100"));
    JsonNode c = new ObjectMapper().readTree(out);
    assertThat(c.at("/linux/namespaces").findValuesAsText("type")).doesNotContain("network").contains("user");
    assertThat(c.at("/mounts").findValuesAsText("destination")).doesNotContain("/sys/fs/cgroup").contains("/sys");
    JsonNode sys = null;
    for (JsonNode m : c.path("mounts")) {
      if (m.path("destination").asText().equals("/sys")) {
        sys = m;
      }
      if (m.path("destination").asText().equals("/proc")) {
        assertThat(m.path("options").toString()).contains("nodev", "nosuid");
      }
      if (m.path("destination").asText().equals("/dev/pts")) {
        assertThat(m.path("options").toString()).doesNotContain("nodev");
      }
    }
    assertThat(sys.path("type").asText()).isEqualTo("bind");
    assertThat(sys.path("options").toString()).isEqualTo("[\"rbind\",\"nosuid\",\"noexec\",\"nodev\",\"ro\"]");
    assertThat(c.at("/linux/resources").has("devices")).isFalse();
    assertThat(c.at("/linux/uidMappings").toString())
        .isEqualTo("[{\"containerID\":0,\"hostID\":1000,\"size\":1},{\"containerID\":1,\"hostID\":100000,\"size\":65536}]");
    assertThat(c.at("/linux/gidMappings").toString())
        .isEqualTo("[{\"containerID\":0,\"hostID\":1000,\"size\":1},{\"containerID\":1,\"hostID\":300000,\"size\":100}]");
  }
}
