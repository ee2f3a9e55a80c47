package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.GpgHome;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: what a pull verified is recorded with the image and shown ({@code images info}, {@code --json}), and
 * {@code verify NAME} checks the signatures stored with a container's image against today's policy, offline: the
 * signature store may be gone and the network absent; a policy that no longer trusts the signer makes it fail.
 */
class VerifySignaturesIT {
  @TempDir Path tmp;

  @Test
  void verifyReChecksStoredSignaturesOffline() throws Exception {
    Peers.requireRoot();
    String skopeo = Peers.require("skopeo").toString();
    Path archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path store = Files.createDirectories(root.resolve("var/lib/containers/sigstore"));
    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"));
        DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      String a = gpg.newKey("Signer A <a@example.com>", "ed25519", null, "never");
      String b = gpg.newKey("Signer B <b@example.com>", "ed25519", null, "never");
      Path keyA = gpg.exportArmored(tmp.resolve("a.asc"), a);
      Path keyB = gpg.exportArmored(tmp.resolve("b.asc"), b);
      String reg = registry.address();
      Path pushD = Files.createDirectories(tmp.resolve("push.d"));
      Files.writeString(pushD.resolve("default.yaml"), "default-docker:\n  lookaside-staging: file://" + store + "\n");
      Path accept = Files.writeString(tmp.resolve("accept.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
      Exec.Result push = Exec.run(List.of(skopeo, "--policy", accept.toString(), "--registries.d", pushD.toString(),
          "copy", "--quiet", "--dest-tls-verify=false", "--sign-by", a, "oci-archive:" + archive,
          "docker://" + reg + "/app:1"), null, gpg.env());
      assertThat(push.exitCode()).as(push.output()).isZero();

      assertThat(Launcher.run("trust", "add", "--root", root.toString(), "-k", keyA.toString(), reg).exitCode()).isZero();
      assertThat(Launcher.run("trust", "default", "reject", "--root", root.toString()).exitCode()).isZero();
      Exec.Result install = Launcher.run("install", "--system", "--root", root.toString(), "--tls-verify=false",
          "--name", "app", "docker://" + reg + "/app:1");
      assertThat(install.exitCode()).as(install.output()).isZero();

      // what the pull verified, shown with the image
      Exec.Result info = Launcher.run("images", "info", "--root", root.toString(), reg + "/app:1");
      assertThat(info.exitCode()).as(info.output()).isZero();
      assertThat(info.stdout()).contains("Signatures: 1 stored with the image")
          .contains("Pulled from: docker://" + reg + "/app:1 at ")
          .contains("Trust: accepted by " + root.resolve("etc/containers/policy.json") + " at scope docker:" + reg
              + ": signed by key " + a + " as " + reg + "/app:1");
      JsonNode infoJson = new ObjectMapper().readTree(
          Launcher.run("images", "info", "--json", "--root", root.toString(), reg + "/app:1").stdout());
      assertThat(infoJson.path("signatures").asInt()).isEqualTo(1);
      assertThat(infoJson.path("source").asText()).isEqualTo("docker://" + reg + "/app:1");
      assertThat(infoJson.path("trust").asText()).contains("signed by key " + a);

      // offline, with the signature store gone: the stored signature still vouches
      deleteTree(store);
      Exec.Result ok = Launcher.runOffline("verify", "--root", root.toString(), "app");
      assertThat(ok.exitCode()).as(ok.output()).isZero();
      assertThat(ok.stdout()).contains("Container app: all files match the repository")
          .contains("Image " + reg + "/app:1 (1 signature): accepted by").contains("signed by key " + a);

      // the policy now trusts only B: the installed image is named as no longer accepted
      Exec.Result swap = Launcher.run("-y", "trust", "add", "--root", root.toString(), "-k", keyB.toString(), reg);
      assertThat(swap.exitCode()).as(swap.output()).isZero();
      Exec.Result refused = Launcher.runOffline("verify", "--root", root.toString(), "app");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(Launcher.lines(refused.stderr())).singleElement().asString()
          .contains("Image " + reg + "/app:1 (1 signature) is no longer accepted").contains("which is not accepted");
      JsonNode json = new ObjectMapper().readTree(
          Launcher.runOffline("verify", "--json", "--root", root.toString(), "app").stdout());
      assertThat(json.path("signatures").path("accepted").asBoolean()).isFalse();
      assertThat(json.path("signatures").path("count").asInt()).isEqualTo(1);
      assertThat(json.path("signatures").path("recorded").asText()).contains("signed by key " + a);
      assertThat(json.path("modified")).isEmpty();
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
