package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.fixtures.TokenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real docker-registry with htpasswd Basic auth, and with Bearer token auth through a token server. */
class RegistryAuthIT {
  @TempDir Path tmp;

  static final TestImage IMAGE =
      TestImage.builder().layer(LayerBuilder.layer().file("app/hello", "hello\n", 0644)).build();

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicAuth() throws Exception {
    try (DockerRegistry registry = DockerRegistry.startWithHtpasswd(tmp.resolve("reg"), "alice", "s3cret")) {
      new RegistryPusher(registry.address(), basic("alice", "s3cret")).push("private/app", "1", IMAGE);
      String ref = "docker://" + registry.address() + "/private/app:1";
      String root = tmp.resolve("root").toString();

      Exec.Result anonymous = Launcher.run("pull", "--tls-verify=false", "--root", root, ref);
      assertThat(anonymous.exitCode()).isNotZero();
      assertThat(Launcher.lines(anonymous.stderr())).singleElement().asString()
          .contains("HTTP 401").contains("check the credentials");

      Exec.Result wrong = Launcher.run("pull", "--tls-verify=false", "--creds", "alice:nope", "--root", root, ref);
      assertThat(wrong.exitCode()).isNotZero();
      assertThat(Launcher.lines(wrong.stderr())).singleElement().asString().contains("HTTP 401");

      Exec.Result ok = Launcher.run("pull", "--tls-verify=false", "--creds", "alice:s3cret", "--root", root, ref);
      assertThat(ok.exitCode()).as(ok.output()).isZero();
      assertThat(ok.stdout()).contains("Pulled " + registry.address() + "/private/app:1");

      // the same credentials from an auth.json, as podman login writes it, and from $REGISTRY_AUTH_FILE
      Path authFile = tmp.resolve("auth.json");
      Files.writeString(
          authFile,
          "{\"auths\":{\"" + registry.address() + "\":{\"auth\":\""
              + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
      String root2 = tmp.resolve("root2").toString();
      Exec.Result viaFile =
          Launcher.run("pull", "--tls-verify=false", "--authfile", authFile.toString(), "--root", root2, ref);
      assertThat(viaFile.exitCode()).as(viaFile.output()).isZero();
      String root3 = tmp.resolve("root3").toString();
      Exec.Result viaEnv =
          Launcher.run(Map.of("REGISTRY_AUTH_FILE", authFile.toString()), "pull", "--tls-verify=false", "--root", root3, ref);
      assertThat(viaEnv.exitCode()).as(viaEnv.output()).isZero();
    }
  }

  @Test
  void bearerTokenAuth() throws Exception {
    try (TokenServer tokens = TokenServer.start(tmp.resolve("tokens"), "alice", "s3cret");
        DockerRegistry registry = DockerRegistry.startWithToken(tmp.resolve("reg"), tokens)) {
      String push = tokens.token("repository:private/app:push,pull");
      new RegistryPusher(registry.address(), "Bearer " + push).push("private/app", "1", IMAGE);
      String ref = "docker://" + registry.address() + "/private/app:1";
      String root = tmp.resolve("root").toString();

      Exec.Result anonymous = Launcher.run("pull", "--tls-verify=false", "--root", root, ref);
      assertThat(anonymous.exitCode()).isNotZero();
      assertThat(Launcher.lines(anonymous.stderr())).singleElement().asString()
          .contains("refused a token").contains("check the credentials");

      Exec.Result ok = Launcher.run("pull", "--tls-verify=false", "--creds", "alice:s3cret", "--root", root, ref);
      assertThat(ok.exitCode()).as(ok.output() + registry.log()).isZero();
      // one token per scope, reused for manifest, config and layer requests
      assertThat(tokens.tokensIssued()).isEqualTo(1);
      Exec.Result install =
          Launcher.run("install", "--system", "--name", "app", "--root", root, registry.address() + "/private/app:1");
      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(tmp.resolve("root/var/lib/containers/atomic/app.0/rootfs/app/hello")).hasContent("hello");
    }
  }
}
