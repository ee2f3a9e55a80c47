package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.GpgHome;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: {@code sign}, as atomic's, and the interop it must have: our GPG signatures, made from a GnuPG home (an
 * Ed25519 key, an RSA key under a passphrase) or from an exported secret key, are accepted by
 * {@code skopeo standalone-verify} and by {@code skopeo copy} under a policy that requires them, and by our pulls;
 * and the air-gapped path end to end: a docker-archive signed on one machine, installed on a host that trusts only
 * that key, with the signatures carried beside the archive.
 */
class SignIT {
  @TempDir Path tmp;

  @Test
  void ourSignaturesAreAcceptedBySkopeoAndByUs() throws Exception {
    Peers.requireRoot();
    String skopeo = Peers.require("skopeo").toString();
    Path archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path store = root.resolve("var/lib/containers/sigstore");
    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"));
        DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      String a = gpg.newKey("Signer A <a@example.com>", "ed25519", null, "never");
      String b = gpg.newProtectedKey("Signer B <b@example.com>", "rsa2048", "s3cret");
      Path keyA = gpg.exportArmored(tmp.resolve("a.asc"), a);
      String reg = registry.address();
      Path accept = Files.writeString(tmp.resolve("accept.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
      Path archive2 = tmp.resolve("hello2.tar");
      SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("version", "2")).writeOciArchive(archive2, "2");
      for (String[] push : new String[][] {{archive.toString(), "1"}, {archive2.toString(), "2"}}) {
        Exec.Result r = Exec.run(List.of(skopeo, "--policy", accept.toString(), "copy", "--quiet",
            "--dest-tls-verify=false", "oci-archive:" + push[0], "docker://" + reg + "/app:" + push[1]));
        assertThat(r.exitCode()).as(r.output()).isZero();
      }
      Map<String, String> env = new HashMap<>(gpg.env());

      // no store for writing signatures yet: atomic's message
      Exec.Result none = Launcher.run(env, "sign", "--root", root.toString(), "--tls-verify=false", "--sign-by",
          "a@example.com", "docker://" + reg + "/app:1");
      assertThat(none.exitCode()).isNotZero();
      assertThat(Launcher.lines(none.stderr())).singleElement().asString().contains("No write path for " + reg + "/app");

      // the host's registries.d names its signature store; sign writes there, as atomic sign did
      Files.createDirectories(store);
      Path registriesD = Files.createDirectories(root.resolve("etc/containers/registries.d"));
      Files.writeString(registriesD.resolve("default.yaml"), "default-docker:\n  lookaside: file:///var/lib/containers/"
          + "sigstore\n  lookaside-staging: file:///var/lib/containers/sigstore\n");
      Exec.Result signed = Launcher.run(env, "sign", "--root", root.toString(), "--tls-verify=false", "--sign-by",
          "a@example.com", "docker://" + reg + "/app:1");
      assertThat(signed.exitCode()).as(signed.output()).isZero();
      String digest1 = digest(skopeo, accept, reg + "/app:1");
      Path sig1 = store.resolve("app@" + digest1.replace(':', '=')).resolve("signature-1");
      assertThat(signed.stdout()).isEqualTo("Created: " + sig1 + "\n");

      // skopeo standalone-verify accepts it
      Path manifest = Files.writeString(tmp.resolve("manifest-1.json"), rawManifest(skopeo, accept, reg + "/app:1"));
      Exec.Result verify = Exec.run(List.of(skopeo, "standalone-verify", manifest.toString(), reg + "/app:1", a,
          sig1.toString()), null, env);
      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.stdout()).contains("Signature verified, digest " + digest1);

      // a protected RSA key: refused without its passphrase (nothing written), used with it
      Exec.Result locked = Launcher.run(env, "sign", "--root", root.toString(), "--tls-verify=false", "--sign-by",
          "b@example.com", "docker://" + reg + "/app:2");
      assertThat(locked.exitCode()).isNotZero();
      assertThat(Launcher.lines(locked.stderr())).singleElement().asString().contains("--passphrase-file");
      String digest2 = digest(skopeo, accept, reg + "/app:2");
      assertThat(store.resolve("app@" + digest2.replace(':', '='))).doesNotExist();
      Path pass = Files.writeString(tmp.resolve("pass"), "s3cret\n");
      Exec.Result unlocked = Launcher.run(env, "sign", "--root", root.toString(), "--tls-verify=false", "--sign-by",
          b, "--passphrase-file", pass.toString(), "docker://" + reg + "/app:2");
      assertThat(unlocked.exitCode()).as(unlocked.output()).isZero();
      Path sig2 = store.resolve("app@" + digest2.replace(':', '=')).resolve("signature-1");
      Path manifest2 = Files.writeString(tmp.resolve("manifest-2.json"), rawManifest(skopeo, accept, reg + "/app:2"));
      Exec.Result verify2 = Exec.run(List.of(skopeo, "standalone-verify", manifest2.toString(), reg + "/app:2", b,
          sig2.toString()), null, env);
      assertThat(verify2.exitCode()).as(verify2.output()).isZero();

      // a policy that requires A for the registry: skopeo and we accept app:1 (signed by A), refuse app:2 (by B)
      assertThat(Launcher.run("trust", "add", "--root", root.toString(), "-k", keyA.toString(), reg).exitCode()).isZero();
      assertThat(Launcher.run("trust", "default", "reject", "--root", root.toString()).exitCode()).isZero();
      Path policy = root.resolve("etc/containers/policy.json");
      Path hostD = Files.createDirectories(tmp.resolve("host.d"));
      Files.writeString(hostD.resolve("default.yaml"), "default-docker:\n  lookaside: file://" + store + "\n");
      assertThat(skopeoCopies(skopeo, policy, hostD, reg + "/app:1")).isTrue();
      assertThat(skopeoCopies(skopeo, policy, hostD, reg + "/app:2")).isFalse();
      Exec.Result pull1 = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg + "/app:1");
      assertThat(pull1.exitCode()).as(pull1.output()).isZero();
      Exec.Result pull2 = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg + "/app:2");
      assertThat(pull2.exitCode()).isNotZero();
      assertThat(pull2.stderr()).contains("is by key").contains("which is not accepted");

      // a second signature of the same image goes beside the first, never over it
      Exec.Result again = Launcher.run(env, "sign", "--root", root.toString(), "--tls-verify=false", "--sign-by",
          "a@example.com", "docker://" + reg + "/app:1");
      assertThat(again.stdout()).contains("signature-2");
      assertThat(sig1.resolveSibling("signature-2")).exists();
    }
  }

  @Test
  void anAirGappedHostInstallsASignedArchive() throws Exception {
    Peers.requireRoot();
    String skopeo = Peers.require("skopeo").toString();
    Path oci = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(oci, "latest");
    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"))) {
      String a = gpg.newKey("Release <release@example.com>", "ed25519", null, "never");
      // the build machine: a docker-archive named for the registry it would come from, signed from an exported key
      Path app = tmp.resolve("build/app.tar");
      Files.createDirectories(app.getParent());
      Path accept = Files.writeString(tmp.resolve("accept.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
      Exec.Result save = Exec.run(List.of(skopeo, "--policy", accept.toString(), "copy", "--quiet", "oci-archive:" + oci,
          "docker-archive:" + app + ":registry.example.com/app:1"));
      assertThat(save.exitCode()).as(save.output()).isZero();
      Path secret = gpg.exportSecretArmored(tmp.resolve("build/release.key"), a, "");
      Path sigs = Files.createDirectories(tmp.resolve("build/sigs"));
      Exec.Result sign = Launcher.run("sign", "--sign-by", secret.toString(), "-d", sigs.toString(),
          "docker-archive:" + app + ":registry.example.com/app:1");
      assertThat(sign.exitCode()).as(sign.output()).isZero();
      assertThat(sign.stdout()).startsWith("Created: " + sigs.resolve("app@sha256="));

      // the host, offline: trusts that key for archives and nothing else
      Path host = Files.createDirectories(tmp.resolve("host"));
      Path pub = gpg.exportArmored(host.resolve("etc/pki/containers/release.asc"), a);
      assertThat(pub).exists();
      assertThat(Launcher.run("trust", "default", "reject", "--root", host.toString()).exitCode()).isZero();
      Exec.Result add = Launcher.run("trust", "add", "--root", host.toString(), "--sigstoretype", "docker-archive",
          "-f", "/etc/pki/containers/release.asc", "*");
      assertThat(add.exitCode()).as(add.output()).isZero();
      String image = "docker-archive:" + app + ":registry.example.com/app:1";
      Exec.Result unsigned = Launcher.runOffline("pull", "--root", host.toString(), image);
      assertThat(unsigned.exitCode()).isNotZero();
      assertThat(Launcher.lines(unsigned.stderr())).singleElement().asString().contains("it has none");
      assertThat(storeIsEmpty(host)).isTrue();
      Exec.Result install = Launcher.runOffline("install", "--system", "--root", host.toString(), "--signature-dir",
          sigs.toString(), "--name", "app", image);
      assertThat(install.exitCode()).as(install.output()).isZero();
      // a signature tampered with on the way is refused
      Path sig = Files.list(sigs.resolve("app@" + sign.stdout().split("app@")[1].split("/")[0])).findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(sig);
      bytes[bytes.length / 2] ^= 1;
      Files.write(sig, bytes);
      Exec.Result tampered = Launcher.runOffline("pull", "--root", host.toString(), "--signature-dir", sigs.toString(),
          image);
      assertThat(tampered.exitCode()).isNotZero();
      assertThat(tampered.stderr()).contains("Refused");
    }
  }

  private static String digest(String skopeo, Path policy, String image) throws Exception {
    Exec.Result r = Exec.run(List.of(skopeo, "--policy", policy.toString(), "inspect", "--tls-verify=false",
        "--format", "{{.Digest}}", "docker://" + image));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.stdout().strip();
  }

  private static String rawManifest(String skopeo, Path policy, String image) throws Exception {
    Exec.Result r = Exec.run(List.of(skopeo, "--policy", policy.toString(), "inspect", "--tls-verify=false", "--raw",
        "docker://" + image));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.stdout();
  }

  private static boolean skopeoCopies(String skopeo, Path policy, Path registriesD, String image) throws Exception {
    Exec.Result r = Exec.run(List.of(skopeo, "--policy", policy.toString(), "--registries.d", registriesD.toString(),
        "copy", "--quiet", "--src-tls-verify=false", "docker://" + image, "dir:" + Files.createTempDirectory("copy")));
    return r.exitCode() == 0;
  }

  private static boolean storeIsEmpty(Path root) throws Exception {
    Path refs = root.resolve("var/lib/containers/atomic/.storage/ostree/refs/heads");
    if (!Files.isDirectory(refs)) {
      return true;
    }
    try (Stream<Path> s = Files.walk(refs)) {
      return s.noneMatch(Files::isRegularFile);
    }
  }
}
