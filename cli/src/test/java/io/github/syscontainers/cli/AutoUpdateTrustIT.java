package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 33: auto-update pulls through the signature policy. When the host's policy.json refuses the repository, the
 * new digest is seen (a HEAD), refused before any blob is requested, and nothing is switched; the exit status says it
 * failed.
 */
class AutoUpdateTrustIT {
  @TempDir Path tmp;

  @Test
  void aNewImageThePolicyRefusesIsNotFetchedOrDeployed() throws Exception {
    Peers.requireRoot();
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      pusher.push("app", "latest", UpdateRollbackIT.version("1", "app/only-in-v1"));
      Path root = tmp.resolve("root");
      String r = root.toString();
      Exec.Result install = Launcher.run("install", "--system", "--name", "app", "--root", r, "--tls-verify=false",
          "--set", "io.containers.autoupdate=registry", "docker://" + reg + "/app:latest");
      assertThat(install.exitCode()).as(install.output()).isZero();

      Files.createDirectories(root.resolve("etc/containers"));
      Files.writeString(root.resolve("etc/containers/policy.json"),
          "{\"default\": [{\"type\": \"insecureAcceptAnything\"}], \"transports\": {\"docker\": {\"" + reg
              + "/app\": [{\"type\": \"reject\"}]}}}");
      pusher.push("app", "latest", UpdateRollbackIT.version("2", "app/only-in-v2"));
      int linesBefore = registry.settledLog().split("\n").length;
      Exec.Result run = Launcher.run("auto-update", "--root", r, "--tls-verify=false");
      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      assertThat(Launcher.lines(run.stderr())).anySatisfy(l -> assertThat(l)
          .startsWith("app: failed: Could not fetch " + reg + "/app:latest: ")
          .contains("policy")
          .endsWith("nothing was changed, the running deployment stays"));
      String[] log = registry.settledLog().split("\n");
      StringBuilder after = new StringBuilder();
      for (int i = linesBefore; i < log.length; i++) {
        after.append(log[i]).append('\n');
      }
      assertThat(after.toString()).as("the manifest was asked for").contains("/v2/app/manifests/latest");
      assertThat(after.toString()).as("no blob was requested").doesNotContain("/blobs/");
      assertThat(Files.readSymbolicLink(root.resolve("var/lib/containers/atomic/app"))).isEqualTo(Path.of("app.0"));
      assertThat(root.resolve("var/lib/containers/atomic/.auto-update/app")).doesNotExist();
    }
  }
}
