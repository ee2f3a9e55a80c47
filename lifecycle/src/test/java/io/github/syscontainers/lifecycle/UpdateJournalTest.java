package io.github.syscontainers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 33: the steps auto-update writes down, and the policy it reads. */
class UpdateJournalTest {
  @TempDir Path checkout;

  @Test
  void eachStepIsReadBackAsWritten() throws Exception {
    UpdateJournal journal = new UpdateJournal(checkout);
    assertThat(journal.read("app")).isEmpty();
    UpdateJournal.Entry e = new UpdateJournal.Entry("app", UpdateJournal.Step.FETCHING, 1, "aaa", "", true, 42);
    for (UpdateJournal.Step step : UpdateJournal.Step.values()) {
      journal.write(e.at(step));
      assertThat(journal.read("app")).contains(e.at(step));
    }
    assertThat(Files.readString(checkout.resolve(".auto-update/app"))).contains("\"step\":\"rolling-back\"");
    journal.clear("app");
    assertThat(journal.read("app")).isEmpty();
    assertThat(checkout.resolve(".auto-update")).isEmptyDirectory();
  }

  @Test
  void aRejectedDigestIsRememberedUntilForgotten() throws Exception {
    UpdateJournal journal = new UpdateJournal(checkout);
    journal.reject("app", "bbb");
    assertThat(journal.rejected("app")).contains("bbb");
    assertThat(journal.read("app")).as("a rejection is not a step").isEmpty();
    journal.forgetRejected("app");
    assertThat(journal.rejected("app")).isEmpty();
  }

  @Test
  void anUnreadableRecordSaysWhatToDo() throws Exception {
    Files.createDirectories(checkout.resolve(".auto-update"));
    Files.writeString(checkout.resolve(".auto-update/app"), "{\"step\": \"dancing\"}");
    assertThatThrownBy(() -> new UpdateJournal(checkout).read("app"))
        .isInstanceOf(LifecycleException.class)
        .hasMessageContaining("cannot be read")
        .hasMessageContaining("then remove the file");
  }

  @Test
  void thePolicyComesFromSetBeforeTheLabel() throws Exception {
    String key = AutoUpdatePolicy.KEY;
    assertThat(AutoUpdatePolicy.of(Map.of(), Map.of())).isEmpty();
    assertThat(AutoUpdatePolicy.of(Map.of(), Map.of(key, "registry"))).contains("registry");
    assertThat(AutoUpdatePolicy.of(Map.of(key, "local"), Map.of(key, "registry"))).contains("local");
    assertThat(AutoUpdatePolicy.of(Map.of(key, "disabled"), Map.of(key, "registry"))).isEmpty();
    assertThat(AutoUpdatePolicy.of(Map.of(), Map.of(key, "image"))).as("podman's older word").contains("registry");
    assertThatThrownBy(() -> AutoUpdatePolicy.of(Map.of(key, "nightly"), Map.of()))
        .hasMessageStartingWith("io.containers.autoupdate=nightly is not an auto-update policy; use registry");
    assertThat(Optional.of(AutoUpdatePolicy.LOCAL.word())).contains("local");
  }

  @Test
  void theUnitsAreWhatPodmanShipsForItself() {
    String service = AutoUpdateUnits.service(java.util.List.of("/opt/sys containers/bin/syscontainers"));
    assertThat(service).contains("Type=oneshot\n")
        .contains("ExecStart=\"/opt/sys containers/bin/syscontainers\" auto-update\n");
    String timer = AutoUpdateUnits.timer("daily", java.time.Duration.ofMinutes(15));
    assertThat(timer).contains("OnCalendar=daily\n", "RandomizedDelaySec=900\n", "Persistent=true\n",
        "WantedBy=timers.target\n");
    assertThat(AutoUpdateUnits.quote("100%")).isEqualTo("100%%");
  }
}
