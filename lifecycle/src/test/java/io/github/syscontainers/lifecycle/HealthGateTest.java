package io.github.syscontainers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.lifecycle.host.CommandRunner;
import io.github.syscontainers.lifecycle.host.Systemd;
import io.github.syscontainers.unitgen.HealthCheck;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 33: what the gate calls healthy, from the unit's states as systemctl show gives them and the check's runs. */
class HealthGateTest {
  static final Duration SETTLE = Duration.ofMillis(300);

  /** A unit whose successive {@code show} answers are scripted; the last one repeats. */
  static class ScriptedUnit implements Systemd {
    final Deque<Map<String, String>> states = new ArrayDeque<>();

    ScriptedUnit then(String active, String sub, int restarts) {
      states.add(Map.of("ActiveState", active, "SubState", sub, "NRestarts", Integer.toString(restarts),
          "Result", active.equals("failed") ? "exit-code" : "success", "ExecMainStatus",
          active.equals("failed") ? "1" : "0", "TimeoutStartUSec", "1s"));
      return this;
    }

    @Override
    public Map<String, String> show(String unit, List<String> properties) {
      return states.size() > 1 ? states.poll() : states.peek();
    }

    @Override
    public boolean isRunning() {
      return true;
    }

    @Override
    public void daemonReload() {}

    @Override
    public void enable(String unit) {}

    @Override
    public void disable(String unit, boolean now) {}

    @Override
    public void start(String unit) {}

    @Override
    public void stop(String unit) {}

    @Override
    public void resetFailed(String unit) {}

    @Override
    public boolean isActive(String unit) {
      return "active".equals(states.peek().get("ActiveState"));
    }
  }

  /** A check whose exit statuses are scripted, run after run; the last one repeats. */
  static final class ScriptedCheck implements CommandRunner {
    final Deque<Integer> exits = new ArrayDeque<>();
    final List<List<String>> ran = new ArrayList<>();

    ScriptedCheck(Integer... statuses) {
      exits.addAll(List.of(statuses));
    }

    @Override
    public Result run(List<String> argv) {
      ran.add(argv);
      int status = exits.size() > 1 ? exits.poll() : exits.peek();
      return new Result(status, "", status == 0 ? "" : "not ready\n");
    }
  }

  static HealthCheck check(int retries, Duration startPeriod) {
    return new HealthCheck(List.of("/app/healthy"), false, Duration.ofSeconds(1), retries, Duration.ofMillis(10),
        startPeriod);
  }

  HealthGate.Verdict await(ScriptedUnit unit, Optional<HealthCheck> check, ScriptedCheck runner) throws Exception {
    return new HealthGate(unit, runner, SETTLE).await("app", check, List.of("runc", "exec", "app"));
  }

  @Test
  void activeAndPassingItsCheckIsHealthy() throws Exception {
    ScriptedUnit unit = new ScriptedUnit().then("activating", "start-pre", 0).then("active", "running", 0);
    ScriptedCheck runner = new ScriptedCheck(0);
    HealthGate.Verdict v = await(unit, Optional.of(check(3, Duration.ZERO)), runner);
    assertThat(v.healthy()).as(v.why()).isTrue();
    assertThat(v.why()).contains("passed its health check 3 times");
    assertThat(runner.ran).hasSize(3).allSatisfy(argv -> assertThat(argv).containsExactly("runc", "exec", "app",
        "/app/healthy"));
    assertThat(v.took()).isGreaterThanOrEqualTo(SETTLE);
  }

  @Test
  void aCheckOnTheHostRunsAlone() throws Exception {
    ScriptedUnit unit = new ScriptedUnit().then("active", "running", 0);
    ScriptedCheck runner = new ScriptedCheck(0);
    HealthCheck onHost = new HealthCheck(List.of("/bin/true"), true, Duration.ofSeconds(1), 1, Duration.ZERO,
        Duration.ZERO);
    assertThat(await(unit, Optional.of(onHost), runner).healthy()).isTrue();
    assertThat(runner.ran).containsExactly(List.of("/bin/true"));
  }

  @Test
  void aUnitThatFailsIsNotHealthy() throws Exception {
    ScriptedUnit unit = new ScriptedUnit().then("activating", "start", 0).then("failed", "failed", 0);
    HealthGate.Verdict v = await(unit, Optional.empty(), new ScriptedCheck(0));
    assertThat(v.healthy()).isFalse();
    assertThat(v.why()).isEqualTo("app failed (result exit-code, exit status 1)");
  }

  @Test
  void aServiceSystemdRestartsIsNotHealthy() throws Exception {
    ScriptedUnit waiting = new ScriptedUnit().then("activating", "auto-restart", 1);
    assertThat(await(waiting, Optional.empty(), new ScriptedCheck(0)).why()).contains("systemd is restarting it");
    // active each time it is looked at, but restarted in between: the count gives it away
    ScriptedUnit flapping = new ScriptedUnit().then("active", "running", 3).then("active", "running", 4);
    HealthGate.Verdict v = await(flapping, Optional.empty(), new ScriptedCheck(0));
    assertThat(v.healthy()).isFalse();
    assertThat(v.why()).contains("systemd is restarting it");
  }

  @Test
  void aUnitThatStopsWhileSettlingIsNotHealthy() throws Exception {
    ScriptedUnit unit = new ScriptedUnit().then("active", "running", 0).then("active", "running", 0)
        .then("inactive", "dead", 0);
    HealthGate.Verdict v = await(unit, Optional.empty(), new ScriptedCheck(0));
    assertThat(v.healthy()).isFalse();
    assertThat(v.why()).startsWith("app stopped");

    ScriptedUnit exiting = new ScriptedUnit().then("active", "running", 0);
    exiting.states.add(Map.of("ActiveState", "deactivating", "SubState", "stop-post", "NRestarts", "0", "Result",
        "exit-code", "ExecMainStatus", "1"));
    assertThat(await(exiting, Optional.empty(), new ScriptedCheck(0)).why())
        .isEqualTo("app's service exited (result exit-code, exit status 1)");
  }

  @Test
  void aUnitThatNeverBecomesActiveFailsAtItsStartTimeout() throws Exception {
    ScriptedUnit unit = new ScriptedUnit().then("activating", "start", 0);
    HealthGate.Verdict v = await(unit, Optional.empty(), new ScriptedCheck(0));
    assertThat(v.healthy()).isFalse();
    assertThat(v.why()).isEqualTo("app did not become active within 1.0 s (its start timeout); it is activating (start)");
  }

  @Test
  void failuresInTheStartPeriodAreRetriedAndOneAfterItFails() throws Exception {
    ScriptedUnit unit = new ScriptedUnit().then("active", "running", 0);
    ScriptedCheck warmingUp = new ScriptedCheck(1, 1, 0);
    HealthGate.Verdict ok = await(unit, Optional.of(check(2, Duration.ofSeconds(30))), warmingUp);
    assertThat(ok.healthy()).as(ok.why()).isTrue();
    assertThat(warmingUp.ran).hasSize(4);

    ScriptedCheck broken = new ScriptedCheck(1);
    HealthGate.Verdict bad = await(unit, Optional.of(check(2, Duration.ZERO)), broken);
    assertThat(bad.healthy()).isFalse();
    assertThat(bad.why()).startsWith("the health check /app/healthy failed (exit status 1: not ready)")
        .endsWith("past its start period of 0.0 s");
    assertThat(broken.ran).hasSize(1);
  }

  @Test
  void noSystemdIsNotHealthy() throws Exception {
    Systemd none = new ScriptedUnit() {
      @Override
      public Map<String, String> show(String unit, List<String> properties) {
        return Map.of();
      }
    };
    HealthGate.Verdict v = new HealthGate(none, new ScriptedCheck(0), SETTLE).await("app", Optional.empty(),
        List.of());
    assertThat(v.healthy()).isFalse();
    assertThat(v.why()).contains("systemd cannot say");
  }

  @Test
  void startTimeoutsAsSystemdWritesThem() {
    assertThat(HealthGate.startTimeout(Map.of("TimeoutStartUSec", "1min 30s"))).isEqualTo(Duration.ofSeconds(90));
    assertThat(HealthGate.startTimeout(Map.of("TimeoutStartUSec", "500ms"))).isEqualTo(Duration.ofMillis(500));
    assertThat(HealthGate.startTimeout(Map.of("TimeoutStartUSec", "infinity"))).isEqualTo(Duration.ofMinutes(5));
    assertThat(HealthGate.startTimeout(Map.of("TimeoutStartUSec", "2h"))).isEqualTo(Duration.ofMinutes(5));
    assertThat(HealthGate.startTimeout(Map.of())).isEqualTo(Duration.ofMinutes(5));
  }
}
