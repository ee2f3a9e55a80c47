package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.GpgHome;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy} carries the source's signatures, as skopeo does: from a registry's lookaside to a {@code dir:} (as
 * {@code signature-N}) and to another registry's lookaside staging, where a policy requiring the key accepts the
 * copy; a destination with no place for them (an oci-archive) is refused before anything is written, unless
 * {@code --remove-signatures}.
 */
class SignedCopyIT {
  @TempDir Path tmp;

  private static void ok(Exec.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void signaturesGoWithTheImageOrTheCopyIsRefused() throws Exception {
    Peers.requireRoot();
    TestImage image = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"));
        DockerRegistry first = DockerRegistry.start(tmp.resolve("reg1"));
        DockerRegistry second = DockerRegistry.start(tmp.resolve("reg2"))) {
      new RegistryPusher(first.address()).push("apps/hello", "1", image);
      String key = gpg.newKey("Release <release@example.com>", "ed25519", null, "never");
      Path pub = gpg.exportArmored(tmp.resolve("release.asc"), key);
      Map<String, String> env = new HashMap<>(gpg.env());
      // one lookaside per registry, as a host's registries.d names them
      Path store1 = Files.createDirectories(tmp.resolve("sigstore1"));
      Path store2 = Files.createDirectories(tmp.resolve("sigstore2"));
      Path registriesD = Files.createDirectories(tmp.resolve("registries.d"));
      Files.writeString(registriesD.resolve("default.yaml"), "docker:\n  " + first.address() + ":\n    lookaside: file://"
          + store1 + "\n    lookaside-staging: file://" + store1 + "\n  " + second.address() + ":\n    lookaside: file://"
          + store2 + "\n    lookaside-staging: file://" + store2 + "\n");
      String src = "docker://" + first.address() + "/apps/hello:1";
      ok(Launcher.run(env, "sign", "--tls-verify=false", "--registries.d", registriesD.toString(), "--sign-by",
          "release@example.com", src));
      Path sig = store1.resolve("apps/hello@" + image.manifest().digest().replace(':', '=') + "/signature-1");
      assertThat(sig).exists();

      // to a dir: as signature-1, byte for byte
      Path dir = tmp.resolve("dir");
      ok(Launcher.run("copy", "-q", "--registries.d", registriesD.toString(), "--src-tls-verify=false", src,
          "dir:" + dir));
      assertThat(Files.readAllBytes(dir.resolve("signature-1"))).isEqualTo(Files.readAllBytes(sig));

      // to a second registry: into its lookaside staging; a policy requiring the key (the signature names the first
      // registry: remapIdentity) accepts the copy
      String dest = second.address() + "/apps/hello:1";
      ok(Launcher.run("copy", "-q", "--registries.d", registriesD.toString(), "--src-tls-verify=false",
          "--dest-tls-verify=false", src, "docker://" + dest));
      assertThat(store2.resolve("apps/hello@" + image.manifest().digest().replace(':', '=') + "/signature-1"))
          .hasSameBinaryContentAs(sig);
      Path policy = Files.writeString(tmp.resolve("policy.json"), "{\"default\":[{\"type\":\"reject\"}],\"transports\":"
          + "{\"docker\":{\"" + second.address() + "\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\""
          + pub + "\",\"signedIdentity\":{\"type\":\"remapIdentity\",\"prefix\":\"" + second.address()
          + "\",\"signedPrefix\":\"" + first.address() + "\"}}]}}}");
      // (not under --root, which would look for the file:// stores under that root)
      Exec.Result pull = Launcher.run(Map.of("ATOMIC_OSTREE_CHECKOUT_PATH", tmp.resolve("checkout").toString()),
          "pull", "--tls-verify=false", "--signature-policy", policy.toString(), "--registries.d",
          registriesD.toString(), "docker://" + dest);
      ok(pull);

      // an oci-archive has no place for them: refused, nothing written; --remove-signatures copies without
      Path archive = tmp.resolve("hello.tar");
      Exec.Result refused = Launcher.run("copy", "--registries.d", registriesD.toString(), "--src-tls-verify=false",
          src, "oci-archive:" + archive);
      assertThat(refused.exitCode()).isNotZero();
      assertThat(Launcher.lines(refused.stderr())).singleElement().asString()
          .contains("Cannot copy the 1 signature(s)").contains("--remove-signatures");
      assertThat(archive).doesNotExist();
      ok(Launcher.run("copy", "-q", "--remove-signatures", "--registries.d", registriesD.toString(),
          "--src-tls-verify=false", src, "oci-archive:" + archive));

      // --sign-by adds a signature of its own, which skopeo verifies; an archive cannot take one: refused first
      Path secret = gpg.exportSecretArmored(tmp.resolve("release.key"), key, "");
      Path dir3 = tmp.resolve("dir3");
      String identity = first.address() + "/apps/hello:1";
      ok(Launcher.run("copy", "-q", "--registries.d", registriesD.toString(), "--src-tls-verify=false", "--sign-by",
          secret.toString(), "--sign-identity", identity, src, "dir:" + dir3));
      assertThat(dir3.resolve("signature-1")).hasSameBinaryContentAs(sig);
      Exec.Result verify = Exec.run(List.of(Peers.require("skopeo").toString(), "standalone-verify",
          dir3.resolve("manifest.json").toString(), identity, key, dir3.resolve("signature-2").toString()), null, env);
      ok(verify);
      assertThat(verify.stdout()).contains("Signature verified, digest " + image.manifest().digest());
      Exec.Result noPlace = Launcher.run("copy", "--remove-signatures", "--src-tls-verify=false", "--sign-by",
          secret.toString(), "--sign-identity", identity, src, "oci-archive:" + tmp.resolve("signed.tar"));
      assertThat(noPlace.exitCode()).isNotZero();
      assertThat(Launcher.lines(noPlace.stderr())).singleElement().asString().contains("Cannot sign the copy");
      assertThat(tmp.resolve("signed.tar")).doesNotExist();

      // signatures stored with a pulled image go with push, as podman push takes them: only when the image goes as it
      // was pulled (keep-blobs=true); save leaves them behind with a warning
      new RegistryPusher(first.address()).push("apps/other", "1",
          TestImage.builder().layer(io.github.syscontainers.fixtures.LayerBuilder.layer().file("o", "o\n", 0644)).build());
      Path hostPolicy = Files.writeString(tmp.resolve("host-policy.json"), "{\"default\":[{\"type\":"
          + "\"insecureAcceptAnything\"}],\"transports\":{\"docker\":{\"" + first.address() + "/apps/hello\":[{\"type\":"
          + "\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"" + pub + "\"}]}}}");
      for (boolean keepBlobs : new boolean[] {true, false}) {
        Path checkout = tmp.resolve(keepBlobs ? "kept" : "rebuilt");
        Map<String, String> hostEnv = Map.of("ATOMIC_OSTREE_CHECKOUT_PATH", checkout.toString());
        ok(Launcher.run(hostEnv, "pull", "-q", "--tls-verify=false", "docker://" + first.address() + "/apps/other:1"));
        if (keepBlobs) {
          Path config = checkout.resolve(".storage/ostree/config");
          Files.writeString(config, Files.readString(config) + "\n[syscontainers]\nkeep-blobs=true\n");
        }
        ok(Launcher.run(hostEnv, "pull", "-q", "--tls-verify=false", "--signature-policy", hostPolicy.toString(),
            "--registries.d", registriesD.toString(), src));
        String target = "docker://" + second.address() + "/apps/" + (keepBlobs ? "kept" : "rebuilt") + ":1";
        Exec.Result push = Launcher.run(hostEnv, "push", "--tls-verify=false", "--registries.d",
            registriesD.toString(), first.address() + "/apps/hello:1", target);
        if (keepBlobs) {
          ok(push);
          assertThat(store2.resolve("apps/kept@" + image.manifest().digest().replace(':', '=') + "/signature-1"))
              .hasSameBinaryContentAs(sig);
          Exec.Result save = Launcher.run(hostEnv, "save", "-q", "--format", "oci-archive", "-o",
              tmp.resolve("saved.tar").toString(), first.address() + "/apps/hello:1");
          ok(save);
          assertThat(save.stderr()).contains("cannot go with it").contains("left behind");
        } else {
          assertThat(push.exitCode()).isNotZero();
          assertThat(Launcher.lines(push.stderr())).singleElement().asString().contains("the layers are rebuilt")
              .contains("--remove-signatures");
          ok(Launcher.run(hostEnv, "push", "-q", "--remove-signatures", "--tls-verify=false",
              first.address() + "/apps/hello:1", target));
        }
      }

      // a dir: source's signatures go on too (dir: to dir:)
      Path dir2 = tmp.resolve("dir2");
      ok(Launcher.run("copy", "-q", "dir:" + dir, "dir:" + dir2));
      assertThat(dir2.resolve("signature-1")).hasSameBinaryContentAs(sig);
      List<String> names = Files.list(dir2).map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).contains("manifest.json", "version", "signature-1");
    }
  }
}
