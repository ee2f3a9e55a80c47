package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.fixtures.Cosign;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.SigstoreBundles;
import io.github.syscontainers.fixtures.SigstorePki;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.fixtures.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 29: keyless images signed as cosign 3 signs them, a Sigstore bundle attached through OCI 1.1 referrers, from a
 * real docker-registry (2.8, without the referrers API: the fallback tag {@code sha256-HEX}), from an OCI layout and
 * from an oci-archive,
 * verified offline against a trust root the administrator installed from a trusted_root.json. Refused before any
 * layer: a bundle about another digest, a bundle declaring 100 MB (never requested).
 */
class BundleReferrersIT {
  static final String EMAIL = "release@example.com";
  static final String ISSUER = "https://oidc.example.com";

  @TempDir Path tmp;

  @Test
  void bundlesFoundThroughReferrersVerifyOffline() throws Exception {
    Peers.requireRoot();
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
    Instant now = Instant.now();
    SigstorePki pki = SigstorePki.create(now.minus(Duration.ofDays(1)));
    SigstorePki.Leaf leaf = pki.issue(EMAIL, ISSUER, "both", now.minusSeconds(60), Duration.ofMinutes(10));
    Path trustedRoot = Files.writeString(tmp.resolve("trusted_root.json"), pki.trustedRootJson());
    TestImage one = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("bundle", "1"));
    TestImage two = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("bundle", "2"));
    TestImage three = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("bundle", "3"));
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      pusher.push("app", "1", one);
      pusher.push("app", "2", two);
      pusher.push("app", "3", three);
      refer(pusher, one, SigstoreBundles.of(pki, leaf, one.manifest().data(), now).json(), -1);
      // a good bundle about image one, listed as a referrer of image two
      refer(pusher, two, SigstoreBundles.of(pki, leaf, two.manifest().data(), now)
          .subjectDigest(one.manifest().digest().substring(7)).json(), -1);
      Cosign.Attachment big = refer(pusher, three, SigstoreBundles.of(pki, leaf, three.manifest().data(), now).json(),
          100_000_000L);

      assertThat(Launcher.run("trust", "default", "reject", "--root", root.toString()).exitCode()).isZero();
      Exec.Result add = Launcher.run("trust", "add", "--root", root.toString(), "--type", "sigstoreSigned",
          "--trusted-root", trustedRoot.toString(), "--oidc-issuer", ISSUER, "--subject-email", EMAIL, reg);
      assertThat(add.exitCode()).as(add.output()).isZero();

      Exec.Result install = Launcher.run("install", "--system", "--root", root.toString(), "--tls-verify=false",
          "--name", "app", "docker://" + reg + "/app:1");
      assertThat(install.exitCode()).as(install.output()).isZero();
      assertThat(Launcher.run("images", "info", "--root", root.toString(), reg + "/app:1").stdout())
          .contains("sigstore bundle signed keyless by " + EMAIL + " (" + ISSUER + "), logged by Rekor at");
      Exec.Result verify = Launcher.runOffline("verify", "--root", root.toString(), "app");
      assertThat(verify.exitCode()).as(verify.output()).isZero();

      Map<String, String> before = TreeSnapshot.of(repo, true);
      Exec.Result other = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/app:2");
      assertThat(other.exitCode()).isNotZero();
      assertThat(Launcher.lines(other.stderr())).singleElement().asString()
          .contains("the bundle's statement is about other digests than this image's " + two.manifest().digest());
      Exec.Result huge = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg
          + "/app:3");
      assertThat(huge.exitCode()).isNotZero();
      assertThat(Launcher.lines(huge.stderr())).singleElement().asString()
          .contains("100000000 bytes by its descriptor").contains("not fetched");
      assertThat(TreeSnapshot.of(repo, true)).isEqualTo(before);
      List<String> gets = registry.log().lines().filter(l -> l.contains("\"GET /v2/app/blobs/")
          && (l.contains(big.blobs().get(1).digest()) || l.contains(two.config().digest())
              || l.contains(three.config().digest()))).toList();
      assertThat(gets).isEmpty();
    }

    // an OCI layout carrying its bundle as a referrer (fallback tag in index.json), trusted for the oci transport
    Path layout = tmp.resolve("layout");
    one.writeOciLayout(layout, "latest");
    referInLayout(layout, one, SigstoreBundles.of(pki, leaf, one.manifest().data(), now).json());
    Exec.Result addOci = Launcher.run("trust", "add", "--root", root.toString(), "--sigstoretype", "oci", "--type",
        "sigstoreSigned", "--trusted-root", trustedRoot.toString(), "--oidc-issuer", ISSUER, "--subject-email", EMAIL,
        "*");
    assertThat(addOci.exitCode()).as(addOci.output()).isZero();
    Exec.Result fromLayout = Launcher.runOffline("install", "--system", "--root", root.toString(), "--name", "local",
        "oci:" + layout + ":latest");
    assertThat(fromLayout.exitCode()).as(fromLayout.output()).isZero();

    // the same layout as an oci-archive (a tar of it), trusted for that transport
    Path archive = tmp.resolve("app.tar");
    Exec.Result tar = Exec.run(List.of("tar", "-C", layout.toString(), "-cf", archive.toString(), "."));
    assertThat(tar.exitCode()).as(tar.output()).isZero();
    Exec.Result addArchive = Launcher.run("trust", "add", "--root", root.toString(), "--sigstoretype", "oci-archive",
        "--type", "sigstoreSigned", "--trusted-root", trustedRoot.toString(), "--oidc-issuer", ISSUER,
        "--subject-email", EMAIL, "*");
    assertThat(addArchive.exitCode()).as(addArchive.output()).isZero();
    Exec.Result fromArchive = Launcher.runOffline("install", "--system", "--root", root.toString(), "--name",
        "archived", "oci-archive:" + archive + ":latest");
    assertThat(fromArchive.exitCode()).as(fromArchive.output()).isZero();
    // without its referrer, refused
    Path bare = tmp.resolve("bare.tar");
    Path bareLayout = tmp.resolve("bare");
    one.writeOciLayout(bareLayout, "latest");
    assertThat(Exec.run(List.of("tar", "-C", bareLayout.toString(), "-cf", bare.toString(), ".")).exitCode()).isZero();
    Exec.Result unsigned = Launcher.runOffline("pull", "--root", root.toString(), "oci-archive:" + bare + ":latest");
    assertThat(unsigned.exitCode()).isNotZero();
    assertThat(Launcher.lines(unsigned.stderr())).singleElement().asString()
        .contains("no sigstore signature of the image satisfies");
  }

  /** Pushes a bundle as cosign 3 does to a registry without the referrers API: the manifest, then the fallback tag. */
  private static Cosign.Attachment refer(RegistryPusher pusher, TestImage image, String bundle, long declared)
      throws Exception {
    Cosign.Attachment a = SigstoreBundles.referrer(image.manifest().digest(), image.manifest().data().length, bundle,
        declared);
    pusher.pushManifest("app", a.manifest().digest(), a.manifest(), a.blobs());
    TestImage.Blob index = SigstoreBundles.referrersIndex(List.of(a));
    pusher.pushManifest("app", image.manifest().digest().replace(':', '-'), index, List.of());
    return a;
  }

  private static void referInLayout(Path layout, TestImage image, String bundle) throws Exception {
    Cosign.Attachment a = SigstoreBundles.referrer(image.manifest().digest(), image.manifest().data().length, bundle,
        -1);
    TestImage.Blob index = SigstoreBundles.referrersIndex(List.of(a));
    List<TestImage.Blob> all = new ArrayList<>(a.blobs());
    all.add(a.manifest());
    all.add(index);
    for (TestImage.Blob b : all) {
      Files.write(layout.resolve("blobs/sha256").resolve(b.digest().substring(7)), b.data());
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode top = (ObjectNode) json.readTree(layout.resolve("index.json").toFile());
    ObjectNode e = top.withArray("manifests").addObject();
    e.put("mediaType", index.mediaType()).put("digest", index.digest()).put("size", index.data().length);
    e.putObject("annotations").put("org.opencontainers.image.ref.name", image.manifest().digest().replace(':', '-'));
    json.writeValue(layout.resolve("index.json").toFile(), top);
  }
}
