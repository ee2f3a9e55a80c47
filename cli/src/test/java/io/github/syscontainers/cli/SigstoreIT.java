package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Cosign;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.SigstorePki;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.fixtures.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: sigstore signatures with public keys. Debian's skopeo 1.9.3 has sigstore disabled, so the peer is the
 * test-fixtures {@link Cosign} builder and verifier, written from containers-sigstore-signing(5) and cosign's layout
 * and sharing no code with the trust module. Signatures it attaches in a registry ({@code sha256-HEX.sig}) are
 * accepted by a policy that trusts its key and refused for another digest, another repository or an attachment that
 * declares a huge layer (never fetched); ours, from {@code generate-sigstore-key} and {@code sign
 * --sign-by-sigstore-private-key}, verify with its verifier, attached to an OCI layout or in a lookaside directory.
 */
class SigstoreIT {
  @TempDir Path tmp;
  /** The host's root, and its repository. */
  Path root;
  Path repo;

  @BeforeEach
  void host() throws Exception {
    Peers.requireRoot();
    root = Files.createDirectories(tmp.resolve("root"));
    repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
  }

  @Test
  void cosignAttachmentsInARegistryAreVerifiedBeforeAnyLayer() throws Exception {
    KeyPair key = Cosign.newKey();
    KeyPair other = Cosign.newKey();
    Path pki = Files.createDirectories(root.resolve("etc/pki/containers"));
    Files.writeString(pki.resolve("cosign.pub"), Cosign.publicPem(key.getPublic()));
    Files.writeString(pki.resolve("other.pub"), Cosign.publicPem(other.getPublic()));
    TestImage one = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    TestImage two = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("version", "2"));
    TestImage three = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("version", "3"));
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      String d1 = one.manifest().digest();
      String d2 = two.manifest().digest();
      String d3 = three.manifest().digest();
      pusher.push("app", "1", one);
      pusher.push("app", "2", two);
      pusher.push("other", "2", two);
      pusher.push("big", "3", three);
      attach(pusher, "app", d1, List.of(Cosign.sign(key.getPrivate(), Cosign.payload(d1, reg + "/app:1"))), null);
      // a replay: app:1's signature attached to app:2
      attach(pusher, "app", d2, List.of(Cosign.sign(key.getPrivate(), Cosign.payload(d1, reg + "/app:1"))), null);
      // another repository's signature, for the right digest
      attach(pusher, "other", d2, List.of(Cosign.sign(key.getPrivate(), Cosign.payload(d2, reg + "/app:2"))), null);
      // an attachment declaring a 300 MB signature
      attach(pusher, "big", d3, List.of(Cosign.sign(key.getPrivate(), Cosign.payload(d3, reg + "/big:3"))),
          new long[] {300_000_000L});

      // a person trusts the key for the registry; registries.d learns to read its attachments, as podman's trust set
      assertThat(Launcher.run("trust", "default", "reject", "--root", root.toString()).exitCode()).isZero();
      Exec.Result add = Launcher.run("trust", "add", "--root", root.toString(), "--type", "sigstoreSigned",
          "--pubkeys", pki.resolve("cosign.pub").toString(), reg);
      assertThat(add.exitCode()).as(add.output()).isZero();
      assertThat(Files.readString(root.resolve("etc/containers/registries.d").resolve(reg + ".yaml")))
          .contains("use-sigstore-attachments: true");

      // the signed image installs; what vouched for it is kept and shown, and re-checked offline
      Exec.Result install = Launcher.run("install", "--system", "--root", root.toString(), "--tls-verify=false",
          "--name", "app", "docker://" + reg + "/app:1");
      assertThat(install.exitCode()).as(install.output()).isZero();
      Exec.Result info = Launcher.run("images", "info", "--root", root.toString(), reg + "/app:1");
      assertThat(info.stdout()).contains("Signatures: 1 stored with the image")
          .contains("sigstore-signed by key SHA256:").contains(" as " + reg + "/app:1");
      Exec.Result verify = Launcher.runOffline("verify", "--root", root.toString(), "app");
      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.stdout()).contains("Image " + reg + "/app:1 (1 signature): accepted by");

      // refused images leave the store as it was, and no layer of theirs is requested
      Map<String, String> before = TreeSnapshot.of(repo, true);
      Exec.Result replay = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/app:2");
      assertThat(replay.exitCode()).isNotZero();
      assertThat(Launcher.lines(replay.stderr())).singleElement().asString()
          .contains("docker:" + reg).contains("is for the digest " + d1 + ", not this image's " + d2);
      Exec.Result repository = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/other:2");
      assertThat(repository.exitCode()).isNotZero();
      assertThat(Launcher.lines(repository.stderr())).singleElement().asString()
          .contains("is for the identity \"" + reg + "/app:2\"");
      Exec.Result big = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/big:3");
      assertThat(big.exitCode()).isNotZero();
      assertThat(Launcher.lines(big.stderr())).singleElement().asString()
          .contains("300000000 bytes by its descriptor, over the").contains("not fetched");
      assertThat(TreeSnapshot.of(repo, true)).isEqualTo(before);
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo));
      assertThat(fsck.exitCode()).as(fsck.output()).isZero();
      String log = registry.log();
      // no blob of a refused image was requested, not even its config (its layers are app:1's, fetched before);
      // nothing of big, whose one signature declares 300 MB; other's signature (237 bytes) is read, to be checked
      List<String> imageBlobs = List.of(two.config().digest(), three.config().digest());
      List<String> blobGets = registry.log().lines().filter(l -> l.contains("\"GET /v2/big/blobs/")
          || (l.contains("\"GET /v2/other/blobs/") || l.contains("\"GET /v2/app/blobs/"))
              && imageBlobs.stream().anyMatch(l::contains)).toList();
      assertThat(blobGets).isEmpty();

      // the policy now trusts another key only: the installed image is no longer accepted, and a pull is refused
      Exec.Result swap = Launcher.run("-y", "trust", "add", "--root", root.toString(), "--type", "sigstoreSigned",
          "--pubkeys", pki.resolve("other.pub").toString(), reg);
      assertThat(swap.exitCode()).as(swap.output()).isZero();
      assertThat(Launcher.runOffline("verify", "--root", root.toString(), "app").exitCode()).isEqualTo(1);
      Exec.Result wrongKey = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/app:1");
      assertThat(wrongKey.exitCode()).isNotZero();
      assertThat(Launcher.lines(wrongKey.stderr())).singleElement().asString()
          .contains("cryptographic signature verification failed");
    }
  }

  @Test
  void ourSigstoreSignaturesVerifyWithTheIndependentVerifier() throws Exception {
    String skopeo = Peers.require("skopeo").toString();
    Path pass = Files.writeString(tmp.resolve("pass"), "correct horse\n");
    Path prefix = tmp.resolve("signer");

    Exec.Result gen = Launcher.run("generate-sigstore-key", "--output-prefix", prefix.toString(), "--passphrase-file",
        pass.toString());
    assertThat(gen.exitCode()).as(gen.output()).isZero();
    Path priv = Path.of(prefix + ".private");
    Path pub = Path.of(prefix + ".pub");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    assertThat(Files.readString(priv)).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----");
    byte[] privBytes = Files.readAllBytes(priv);
    Exec.Result again = Launcher.run("generate-sigstore-key", "--output-prefix", prefix.toString(),
        "--passphrase-file", pass.toString());
    assertThat(again.exitCode()).isNotZero();
    assertThat(Launcher.lines(again.stderr())).singleElement().asString().contains("Refusing to overwrite existing");
    assertThat(Files.readAllBytes(priv)).isEqualTo(privBytes);
    PublicKey publicKey = Cosign.readPublicPem(pub);

    TestImage image = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    String digest = image.manifest().digest();
    Path layout = tmp.resolve("layout");
    image.writeOciLayout(layout, "latest");

    // a wrong passphrase: one line, the layout untouched
    Map<String, String> untouched = TreeSnapshot.of(layout, false);
    Path wrong = Files.writeString(tmp.resolve("wrong"), "wrong\n");
    Exec.Result refused = Launcher.run("sign", "--root", root.toString(), "--sign-by-sigstore-private-key",
        priv.toString(), "--passphrase-file", wrong.toString(), "--sign-identity", "example.com/app:1",
        "oci:" + layout + ":latest");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(Launcher.lines(refused.stderr())).singleElement().asString().contains(priv.toString());
    assertThat(TreeSnapshot.of(layout, false)).isEqualTo(untouched);

    // attached to the layout, as containers/image's oci: destination attaches; the independent verifier accepts it
    for (String identity : new String[] {"example.com/app:1", "example.com/app:2"}) {
      Exec.Result signed = Launcher.run("sign", "--root", root.toString(), "--sign-by-sigstore-private-key",
          priv.toString(), "--passphrase-file", pass.toString(), "--sign-identity", identity,
          "oci:" + layout + ":latest");
      assertThat(signed.exitCode()).as(signed.output()).isZero();
      assertThat(signed.stdout()).isEqualTo("Created: " + layout + " (" + Cosign.tag(digest) + ")\n");
    }
    assertThat(Cosign.verifyInLayout(layout, digest, publicKey))
        .containsExactly("example.com/app:1", "example.com/app:2");
    // skopeo still reads the layout's image by its name
    Exec.Result inspect = Exec.run(List.of(skopeo, "inspect", "--raw", "oci:" + layout + ":latest"));
    assertThat(inspect.exitCode()).as(inspect.output()).isZero();
    assertThat(inspect.stdout().getBytes(StandardCharsets.UTF_8)).isEqualTo(image.manifest().data());

    // and our pull accepts the layout under a policy that trusts the key for example.com/app:1
    Files.createDirectories(root.resolve("etc/pki/containers"));
    Files.copy(pub, root.resolve("etc/pki/containers/signer.pub"));
    Path policy = Files.createDirectories(root.resolve("etc/containers")).resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\"\":[{\"type\":"
        + "\"sigstoreSigned\",\"keyPath\":\"/etc/pki/containers/signer.pub\",\"signedIdentity\":{\"type\":"
        + "\"exactReference\",\"dockerReference\":\"example.com/app:1\"}}]}}}");
    Exec.Result install = Launcher.run("install", "--system", "--root", root.toString(), "--name", "app",
        "oci:" + layout + ":latest");
    assertThat(install.exitCode()).as(install.output()).isZero();

    // into a lookaside directory, in containers/image's sigstore blob format, for a copy of the layout that has none
    Path sigs = Files.createDirectories(tmp.resolve("sigs"));
    Exec.Result toDir = Launcher.run("sign", "--root", root.toString(), "--sign-by-sigstore-private-key",
        priv.toString(), "--passphrase-file", pass.toString(), "--sign-identity", "example.com/app:1", "-d",
        sigs.toString(), "oci:" + layout + ":latest");
    assertThat(toDir.exitCode()).as(toDir.output()).isZero();
    Path blob = sigs.resolve("app@" + digest.replace(':', '=')).resolve("signature-1");
    assertThat(toDir.stdout()).isEqualTo("Created: " + blob + "\n");
    assertThat(Cosign.verifyBlob(Files.readAllBytes(blob), digest, publicKey)).contains("example.com/app:1");
    Path bare = tmp.resolve("bare");
    image.writeOciLayout(bare, "latest");
    Exec.Result unsigned = Launcher.run("pull", "--root", root.toString(), "oci:" + bare + ":latest");
    assertThat(unsigned.exitCode()).isNotZero();
    assertThat(Launcher.lines(unsigned.stderr())).singleElement().asString()
        .contains("no sigstore signature of the image satisfies");
    Exec.Result withDir = Launcher.run("pull", "--root", root.toString(), "--signature-dir", sigs.toString(),
        "oci:" + bare + ":latest");
    assertThat(withDir.exitCode()).as(withDir.output()).isZero();
  }

  @Test
  void keylessSignaturesVerifyOfflineAgainstTheInstalledTrustRoot() throws Exception {
    Instant now = Instant.now();
    SigstorePki pki = SigstorePki.create(now.minus(Duration.ofDays(1)));
    // the trust root an administrator copies to the host: the Fulcio CA and the Rekor key
    Path pkiDir = Files.createDirectories(root.resolve("etc/pki/sigstore"));
    Files.writeString(pkiDir.resolve("fulcio.pem"), pki.rootPem());
    Files.writeString(pkiDir.resolve("rekor.pub"), pki.rekorPublicPem());
    TestImage one = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("keyless", "1"));
    TestImage two = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("keyless", "2"));
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      pusher.push("app", "1", one);
      pusher.push("app", "2", two);
      String d1 = one.manifest().digest();
      String d2 = two.manifest().digest();
      byte[] p1 = Cosign.payload(d1, reg + "/app:1");
      SigstorePki.Leaf release = pki.issue("release@example.com", "https://oidc.example.com", "both",
          now.minusSeconds(60), Duration.ofMinutes(10));
      Map<String, String> a1 = pki.keyless(release, p1, now);
      attach(pusher, "app", d1, List.of(new Cosign.Sig(p1, a1.get(Cosign.ANNOTATION), a1)), null);
      byte[] p2 = Cosign.payload(d2, reg + "/app:2");
      SigstorePki.Leaf mallory = pki.issue("mallory@example.com", "https://oidc.example.com", "both",
          now.minusSeconds(60), Duration.ofMinutes(10));
      Map<String, String> a2 = pki.keyless(mallory, p2, now);
      attach(pusher, "app", d2, List.of(new Cosign.Sig(p2, a2.get(Cosign.ANNOTATION), a2)), null);

      // the administrator trusts the release identity for the registry, with the CA and Rekor key copied to the host
      assertThat(Launcher.run("trust", "default", "reject", "--root", root.toString()).exitCode()).isZero();
      Exec.Result add = Launcher.run("trust", "add", "--root", root.toString(), "--type", "sigstoreSigned",
          "--fulcio-ca", pkiDir.resolve("fulcio.pem").toString(), "--rekor-key", pkiDir.resolve("rekor.pub").toString(),
          "--oidc-issuer", "https://oidc.example.com", "--subject-email", "release@example.com", reg);
      assertThat(add.exitCode()).as(add.output()).isZero();
      assertThat(Launcher.run("trust", "show", "--root", root.toString()).stdout())
          .contains("release@example.com (keyless, https://oidc.example.com)");
      Exec.Result ok = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/app:1");
      assertThat(ok.exitCode()).as(ok.output()).isZero();
      Exec.Result info = Launcher.run("images", "info", "--root", root.toString(), reg + "/app:1");
      assertThat(info.stdout()).contains("sigstore-signed keyless by release@example.com (https://oidc.example.com),"
          + " logged by Rekor at");
      Map<String, String> before = TreeSnapshot.of(repo, true);
      Exec.Result refused = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/app:2");
      assertThat(refused.exitCode()).isNotZero();
      assertThat(Launcher.lines(refused.stderr())).singleElement().asString()
          .contains("its certificate is for [mallory@example.com], not release@example.com");
      assertThat(TreeSnapshot.of(repo, true)).isEqualTo(before);
      assertThat(registry.log().lines().filter(l -> l.contains("\"GET /v2/app/blobs/" + two.config().digest()))
          .toList()).isEmpty();
      // the same trust from a trusted_root.json; the image stored is re-checked at its next pull
      Path trustedRoot = Files.writeString(tmp.resolve("trusted_root.json"), pki.trustedRootJson());
      Exec.Result again = Launcher.run("-y", "trust", "add", "--root", root.toString(), "--type", "sigstoreSigned",
          "--trusted-root", trustedRoot.toString(), "--oidc-issuer", "https://oidc.example.com", "--subject-email",
          "release@example.com", reg);
      assertThat(again.exitCode()).as(again.output()).isZero();
      Exec.Result warm = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/app:1");
      assertThat(warm.exitCode()).as(warm.output()).isZero();
      Exec.Result incomplete = Launcher.run("-y", "trust", "add", "--root", root.toString(), "--type",
          "sigstoreSigned", "--fulcio-ca", pkiDir.resolve("fulcio.pem").toString(), "--oidc-issuer",
          "https://oidc.example.com", "--subject-email", "release@example.com", reg);
      assertThat(incomplete.exitCode()).isNotZero();
      assertThat(Launcher.lines(incomplete.stderr())).singleElement().asString().contains("--rekor-key");

      // installed, then re-checked offline against the same trust root
      Exec.Result install = Launcher.run("install", "--system", "--root", root.toString(), "--tls-verify=false",
          "--name", "app", "docker://" + reg + "/app:1");
      assertThat(install.exitCode()).as(install.output()).isZero();
      Exec.Result verify = Launcher.runOffline("verify", "--root", root.toString(), "app");
      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.stdout()).contains("keyless by release@example.com");
    }
  }

  private static void attach(RegistryPusher pusher, String repository, String digest, List<Cosign.Sig> sigs,
      long[] declaredSizes) throws Exception {
    Cosign.Attachment a = Cosign.attachment(digest, sigs, declaredSizes);
    pusher.pushManifest(repository, a.tag(), a.manifest(), a.blobs());
  }
}
