package io.github.syscontainers.unitgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** atomic's precedence (§7.2): built-ins < manifest defaults < --set < forced, and values kept on update. */
class TemplateValuesTest {
  static final HostContext ROOT = new HostContext(true, 0, 0, "/root", "", 37, "/usr/bin/atomic", "root");
  static final RuntimeFeatures RUNC = new RuntimeFeatures("/usr/bin/runc", true, true);

  static TemplateValues.Inputs inputs(ExportsManifest manifest, String unit) {
    return new TemplateValues.Inputs("etcd", "/var/lib/containers/atomic/etcd.0", "etcd:latest", "abc", manifest, RUNC, unit);
  }

  @Test
  void precedence() {
    ExportsManifest m =
        new ExportsManifest(Map.of("PORT", "8081", "CONF_DIRECTORY", "/opt", "NAME", "no"), false, Map.of(), List.of(), true,
            java.util.Optional.empty());
    Map<String, Object> v =
        TemplateValues.amend(
            Map.of("PORT", "9000", "RUN_DIRECTORY", "/var/run", "DESTDIR", "/nope", "NAME", "nope"),
            inputs(m, UnitRenderer.DEFAULT_TEMPLATE),
            ROOT,
            () -> "uuid-1");
    assertThat(v)
        .containsEntry("PORT", "9000") // --set beats the manifest
        .containsEntry("CONF_DIRECTORY", "/etc") // built-ins beat manifest defaults (atomic quirk)
        .containsEntry("RUN_DIRECTORY", "/var/run") // --set beats built-ins
        .containsEntry("PIDFILE", "/var/run/container-etcd.pid") // derived from the user's RUN_DIRECTORY
        .containsEntry("DESTDIR", "/var/lib/containers/atomic/etcd.0") // forced
        .containsEntry("NAME", "etcd") // forced
        .containsEntry("UUID", "uuid-1")
        .containsEntry("HOST_UID", 0)
        .containsEntry("IMAGE_ID", "abc")
        .containsEntry("STATE_DIRECTORY", "/var/lib")
        .containsEntry("RUNTIME", "/usr/bin/runc")
        .containsEntry("ATOMIC", "/usr/bin/atomic");
    assertThat((String) v.get("ALL_PROCESS_CAPABILITIES")).startsWith("\"CAP_CHOWN\",\n").endsWith("\"CAP_AUDIT_READ\"\n");
  }

  @Test
  void storedValuesAreKeptOnUpdateSoTheUuidIsStable() {
    Map<String, Object> first = TemplateValues.amend(Map.of(), inputs(ExportsManifest.DEFAULT, ""), ROOT, () -> "u1");
    Map<String, Object> second = TemplateValues.amend(first, inputs(ExportsManifest.DEFAULT, ""), ROOT, () -> "u2");
    assertThat(second.get("UUID")).isEqualTo("u1");
  }

  @Test
  void execDirectivesInBothForms() {
    Map<String, Object> pid = TemplateValues.amend(Map.of(), inputs(ExportsManifest.DEFAULT, "$EXEC_STOPPOST $PIDFILE"), ROOT, () -> "u");
    assertThat(pid.get("EXEC_START"))
        .isEqualTo("/usr/bin/runc  --systemd-cgroup run -d --pid-file /run/container-etcd.pid 'etcd'");
    assertThat(pid.get("EXEC_STOPPOST")).isEqualTo("/usr/bin/runc delete 'etcd'");
    assertThat(pid.get("EXEC_STOP")).isEqualTo("");
    // the braced spelling does not count (atomic quirk), so the plain form is used
    Map<String, Object> plain = TemplateValues.amend(Map.of(), inputs(ExportsManifest.DEFAULT, "${EXEC_STOPPOST} $PIDFILE"), ROOT, () -> "u");
    assertThat(plain.get("EXEC_START")).isEqualTo("/usr/bin/runc --systemd-cgroup run 'etcd'");
    assertThat(plain.get("EXEC_STOP")).isEqualTo("/usr/bin/runc --systemd-cgroup kill 'etcd'");
    HostContext user = new HostContext(false, 1000, 1000, "/home/u", "/run/user/1000", 37, "a", "root");
    Map<String, Object> u = TemplateValues.amend(Map.of(), inputs(ExportsManifest.DEFAULT, ""), user, () -> "u");
    assertThat(u.get("EXEC_START")).isEqualTo("/usr/bin/runc run 'etcd'");
    assertThat(u).containsEntry("CONF_DIRECTORY", "/home/u/.config").containsEntry("STATE_DIRECTORY", "/home/u/.data");
    ExecDirectives noPid = ExecDirectives.compute("x", new RuntimeFeatures("/bin/ls", false, false), "/p", "$EXEC_STOPPOST $PIDFILE", true);
    assertThat(noPid.start()).isEqualTo("/bin/ls run 'x'");
  }

  @Test
  void capabilitiesFollowTheKernel() {
    assertThat(Capabilities.names(37)).hasSize(38).last().isEqualTo("CAP_AUDIT_READ");
    assertThat(Capabilities.names(40)).hasSize(41).last().isEqualTo("CAP_CHECKPOINT_RESTORE");
    assertThat(Capabilities.names(63)).hasSize(41);
    assertThat(Capabilities.templateValue(1)).isEqualTo("\"CAP_CHOWN\",\n\"CAP_DAC_OVERRIDE\"\n");
  }

  @Test
  void setArgumentsNeedAnEqualsSign() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TemplateValues.parseSet(List.of("A=1", "B")))
        .hasMessage("Invalid value 'B'.  Expected form NAME=VALUE");
  }

  /** Issue 27, item 8: a name is what a template can hold, or the --set is refused at once. */
  @Test
  void setNamesMustBeTemplateVariables() throws Exception {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TemplateValues.parseSet(List.of("=x")))
        .hasMessage("Invalid value '=x'.  Expected form NAME=VALUE");
    for (String bad : List.of("1X=y", "A B=x", "A-B=x", "É=x")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TemplateValues.parseSet(List.of(bad)))
          .as(bad)
          .hasMessageStartingWith("Invalid value '" + bad + "': '")
          .hasMessageContaining("cannot be a template variable");
    }
    assertThat(TemplateValues.parseSet(List.of("_A1=x=y", "GREETING=a\\b")))
        .containsEntry("_A1", "x=y")
        .containsEntry("GREETING", "a\\b");
  }
}
