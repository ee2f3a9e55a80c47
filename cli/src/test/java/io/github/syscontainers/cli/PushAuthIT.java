package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.fixtures.TokenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes ({@code copy ... docker://}) to a real docker-registry with htpasswd Basic auth and with token auth (the
 * harness of registry-protocol.md §3.3), then {@code skopeo copy} pulls the image back with the same manifest digest.
 */
class PushAuthIT {
  @TempDir Path tmp;

  private Path layout(TestImage image) throws Exception {
    Path layout = tmp.resolve("layout");
    image.writeOciLayout(layout, "1");
    return layout;
  }

  private String pulledBackDigest(String ref, String creds) throws Exception {
    String skopeo = Peers.require("skopeo").toString();
    Exec.Result raw = Exec.run(List.of(skopeo, "inspect", "--raw", "--tls-verify=false", "--creds", creds, ref));
    assertThat(raw.exitCode()).as(raw.output()).isZero();
    Path back = tmp.resolve("back-" + Math.abs(ref.hashCode()));
    Exec.Result copy = Exec.run(List.of(skopeo, "copy", "--src-tls-verify=false", "--src-creds", creds, ref,
        "oci:" + back + ":b"));
    assertThat(copy.exitCode()).as(copy.output()).isZero();
    return "sha256:" + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(raw.stdout().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void pushWithBasicAuth() throws Exception {
    TestImage image = TestImage.noiseAndText(300_000, 11);
    Path layout = layout(image);
    try (DockerRegistry registry = DockerRegistry.startWithHtpasswd(tmp.resolve("reg"), "alice", "s3cret")) {
      String ref = "docker://" + registry.address() + "/private/app:1";
      Exec.Result anonymous = Launcher.run("copy", "--dest-tls-verify=false", "oci:" + layout + ":1", ref);
      assertThat(anonymous.exitCode()).isNotZero();
      assertThat(Launcher.lines(anonymous.stderr())).singleElement().asString().contains("HTTP 401")
          .contains("check the credentials");

      Exec.Result push = Launcher.run("copy", "--dest-tls-verify=false", "--dest-creds", "alice:s3cret",
          "oci:" + layout + ":1", ref);
      assertThat(push.exitCode()).as(push.output()).isZero();
      assertThat(pulledBackDigest(ref, "alice:s3cret")).isEqualTo(image.manifest().digest());
    }
  }

  @Test
  void pushWithTokenAuthAsksForPushAndPullAndPullOnAMountsSource() throws Exception {
    TestImage image = TestImage.noiseAndText(300_000, 12);
    Path layout = layout(image);
    try (TokenServer tokens = TokenServer.start(tmp.resolve("tokens"), "alice", "s3cret");
        DockerRegistry registry = DockerRegistry.startWithToken(tmp.resolve("reg"), tokens)) {
      String ref = "docker://" + registry.address() + "/public/hello:1";
      Exec.Result push = Launcher.run("copy", "--dest-tls-verify=false", "--dest-creds", "alice:s3cret",
          "oci:" + layout + ":1", ref);
      assertThat(push.exitCode()).as(push.output() + registry.log()).isZero();
      // the registry's challenge names push and pull (in either order: distribution's comes from a Go map)
      assertThat(tokens.requestedScopes()).containsAnyOf("repository:public/hello:push,pull",
          "repository:public/hello:pull,push");
      assertThat(pulledBackDigest(ref, "alice:s3cret")).isEqualTo(image.manifest().digest());

      // to a second repository: the blobs are mounted with a token for both repositories, as skopeo asks for it
      String second = "docker://" + registry.address() + "/private/hello:1";
      Exec.Result mount = Launcher.run("copy", "--src-tls-verify=false", "--dest-tls-verify=false",
          "--src-creds", "alice:s3cret", "--dest-creds", "alice:s3cret", ref, second);
      assertThat(mount.exitCode()).as(mount.output() + registry.log()).isZero();
      assertThat(tokens.requestedScopes()).as("token requests")
          .anyMatch(s -> s.matches(".*repository:private/hello:(push,pull|pull,push).*") && s.contains("repository:public/hello:pull"));
      assertThat(registry.log()).contains("mount=").doesNotContain("PATCH /v2/private/hello");
      assertThat(pulledBackDigest(second, "alice:s3cret")).isEqualTo(image.manifest().digest());
    }
  }
}
