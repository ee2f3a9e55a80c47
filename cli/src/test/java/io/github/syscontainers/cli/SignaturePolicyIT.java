package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.GpgHome;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: the signature policy (GPG "simple signing"), decided by syscontainers and by skopeo 1.9.3 on the same
 * policies, images and signatures, must agree on every case: each requirement, each identity rule, the wrong key, a
 * signature replayed from another image, another repository's signature, no signature, two signatures of which one
 * is good, overlapping scopes. Images are pushed and signed by skopeo ({@code copy --sign-by}, signatures in a
 * lookaside directory that registries.d names) to a real docker-registry; a refused image leaves the store as it was.
 */
class SignaturePolicyIT {
  @TempDir Path tmp;

  @Test
  void syscontainersAndSkopeoAgreeOnEveryCase() throws Exception {
    Peers.requireRoot();
    String skopeo = Peers.require("skopeo").toString();
    Path archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    Path archive2 = tmp.resolve("hello2.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("version", "2")).writeOciArchive(archive2, "2");

    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"));
        DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      String a = gpg.newKey("Signer A <a@example.com>", "ed25519", null, "never");
      String b = gpg.newKey("Signer B <b@example.com>", "rsa2048", null, "never");
      Path keyA = gpg.export(tmp.resolve("keys/a.gpg"), a);
      Path keyB = gpg.exportArmored(tmp.resolve("keys/b.asc"), b);
      Path keyAB = gpg.export(tmp.resolve("keys/ab.gpg"), a, b);
      String reg = registry.address();
      Path lookaside = Files.createDirectories(tmp.resolve("lookaside"));
      Path registriesD = Files.createDirectories(tmp.resolve("registries.d"));
      Files.writeString(registriesD.resolve("default.yaml"),
          "default-docker:\n  lookaside: file://" + lookaside + "\n  lookaside-staging: file://" + lookaside + "\n");
      Path acceptAll = policy("accept-all", "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");

      // the images, pushed (and signed) by skopeo
      Map<String, String> env = new HashMap<>(gpg.env());
      skopeoCopy(skopeo, env, acceptAll, registriesD, "oci-archive:" + archive, reg + "/signed/app:1", a);
      skopeoCopy(skopeo, env, acceptAll, registriesD, "oci-archive:" + archive, reg + "/signed/app:latest", null);
      skopeoCopy(skopeo, env, acceptAll, registriesD, "oci-archive:" + archive2, reg + "/signed/byb:1", b);
      skopeoCopy(skopeo, env, acceptAll, registriesD, "oci-archive:" + archive2, reg + "/signed/two:1", b);
      skopeoCopy(skopeo, env, acceptAll, registriesD, "oci-archive:" + archive2, reg + "/unsigned/app:1", null);
      skopeoCopy(skopeo, env, acceptAll, registriesD, "oci-archive:" + archive2, reg + "/replay/app:1", null);
      skopeoCopy(skopeo, env, acceptAll, registriesD, "oci-archive:" + archive2, reg + "/stolen/app:1", null);
      skopeoCopy(skopeo, env, acceptAll, registriesD, "oci-archive:" + archive, reg + "/mirror/app:1", null);
      String d1 = digest(skopeo, acceptAll, reg + "/signed/app:1");
      String d2 = digest(skopeo, acceptAll, reg + "/signed/two:1");
      // two signatures, the second by the trusted key A: signature-2 of signed/two
      addSignature(lookaside, "signed/two", d2, gpg.sign(a, GpgHome.simpleSigningPayload(d2, reg + "/signed/two:1")));
      // a signature by A replayed from signed/app:1 (another digest) onto replay/app:1
      copySignature(lookaside, "signed/app", d1, "replay/app", d2);
      // A's signature of stolen/app's very digest, claiming another repository
      addSignature(lookaside, "stolen/app", d2, gpg.sign(a, GpgHome.simpleSigningPayload(d2, reg + "/signed/app:1")));
      // the mirror carries the signature of the image it mirrors
      copySignature(lookaside, "signed/app", d1, "mirror/app", d1);

      String signedByA = "{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"" + keyA + "\"";
      Map<String, Path> policies = new LinkedHashMap<>();
      policies.put("reject", policy("reject", "{\"default\":[{\"type\":\"reject\"}]}"));
      policies.put("accept", acceptAll);
      policies.put("A", policy("a", "{\"default\":[" + signedByA + "}]}"));
      policies.put("B-armored", policy("b", "{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\""
          + keyB + "\"}]}"));
      policies.put("A-or-B-keyPaths", policy("ab-paths", "{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\","
          + "\"keyPaths\":[\"" + keyA + "\",\"" + keyB + "\"]}]}"));
      policies.put("A-or-B-keyData", policy("ab-data", "{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\","
          + "\"keyData\":\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(keyAB)) + "\"}]}"));
      policies.put("A-matchExact", policy("a-exact", "{\"default\":[" + signedByA
          + ",\"signedIdentity\":{\"type\":\"matchExact\"}}]}"));
      policies.put("A-matchRepository", policy("a-repo", "{\"default\":[" + signedByA
          + ",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}"));
      policies.put("A-exactReference", policy("a-exactref", "{\"default\":[" + signedByA
          + ",\"signedIdentity\":{\"type\":\"exactReference\",\"dockerReference\":\"" + reg + "/signed/app:1\"}}]}"));
      policies.put("A-exactRepository", policy("a-exactrepo", "{\"default\":[" + signedByA
          + ",\"signedIdentity\":{\"type\":\"exactRepository\",\"dockerRepository\":\"" + reg + "/signed/app\"}}]}"));
      policies.put("A-remap", policy("a-remap", "{\"default\":[" + signedByA
          + ",\"signedIdentity\":{\"type\":\"remapIdentity\",\"prefix\":\"" + reg + "/mirror\",\"signedPrefix\":\""
          + reg + "/signed\"}}]}"));
      policies.put("scopes", policy("scopes", "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{"
          + "\"" + reg + "/signed\":[" + signedByA + "}],"
          + "\"" + reg + "/signed/byb\":[{\"type\":\"insecureAcceptAnything\"}],"
          + "\"" + reg + "/unsigned/app:1\":[{\"type\":\"insecureAcceptAnything\"}],"
          + "\"" + reg + "\":[{\"type\":\"reject\"}]}}}"));
      policies.put("A-and-B", policy("a-and-b", "{\"default\":[" + signedByA + "},{\"type\":\"signedBy\","
          + "\"keyType\":\"GPGKeys\",\"keyPath\":\"" + keyB + "\"}]}"));

      List<String> images = List.of(
          reg + "/signed/app:1", reg + "/signed/app:latest", reg + "/signed/app@" + d1, reg + "/signed/byb:1",
          reg + "/signed/two:1", reg + "/unsigned/app:1", reg + "/replay/app:1", reg + "/stolen/app:1",
          reg + "/mirror/app:1");
      String[][] cases = {
        {"reject", "signed/app:1"}, {"accept", "unsigned/app:1"},
        {"A", "signed/app:1"}, {"A", "signed/app:latest"}, {"A", "signed/app@"}, {"A", "signed/byb:1"},
        {"A", "signed/two:1"}, {"A", "unsigned/app:1"}, {"A", "replay/app:1"}, {"A", "stolen/app:1"},
        {"A", "mirror/app:1"},
        {"B-armored", "signed/app:1"}, {"B-armored", "signed/byb:1"}, {"B-armored", "signed/two:1"},
        {"A-or-B-keyPaths", "signed/app:1"}, {"A-or-B-keyPaths", "signed/byb:1"}, {"A-or-B-keyPaths", "unsigned/app:1"},
        {"A-or-B-keyData", "signed/byb:1"}, {"A-or-B-keyData", "signed/two:1"}, {"A-or-B-keyData", "replay/app:1"},
        {"A-matchExact", "signed/app:1"}, {"A-matchExact", "signed/app:latest"}, {"A-matchExact", "signed/app@"},
        {"A-matchRepository", "signed/app:latest"}, {"A-matchRepository", "signed/app@"},
        {"A-matchRepository", "stolen/app:1"}, {"A-matchRepository", "mirror/app:1"},
        {"A-exactReference", "signed/app:latest"}, {"A-exactReference", "mirror/app:1"},
        {"A-exactReference", "stolen/app:1"}, {"A-exactReference", "signed/two:1"},
        {"A-exactRepository", "signed/app@"}, {"A-exactRepository", "stolen/app:1"}, {"A-exactRepository", "mirror/app:1"},
        {"A-remap", "mirror/app:1"}, {"A-remap", "signed/app:1"}, {"A-remap", "stolen/app:1"},
        {"scopes", "signed/app:1"}, {"scopes", "signed/byb:1"}, {"scopes", "unsigned/app:1"}, {"scopes", "mirror/app:1"},
        {"scopes", "signed/two:1"},
        {"A-and-B", "signed/two:1"}, {"A-and-B", "signed/app:1"}, {"A-and-B", "signed/byb:1"},
      };
      assertThat(cases.length).isGreaterThanOrEqualTo(40);
      Path root = tmp.resolve("root");
      List<String> disagreements = new ArrayList<>();
      int accepted = 0;
      for (String[] c : cases) {
        String image = images.stream().filter(i -> i.startsWith(reg + "/" + c[1])).findFirst().orElseThrow();
        Path policy = policies.get(c[0]);
        Exec.Result theirs = Exec.run(List.of(skopeo, "--policy", policy.toString(), "--registries.d",
            registriesD.toString(), "copy", "--src-tls-verify=false", "docker://" + image,
            "dir:" + tmp.resolve("out-" + Math.abs(image.hashCode()) + "-" + c[0])));
        String before = storeListing(root);
        // the store placed by atomic's variables, not --root: the policy's key paths are host paths, as skopeo reads them
        Exec.Result ours = Launcher.run(
            Map.of("ATOMIC_OSTREE_REPO", root.resolve("var/lib/containers/atomic/.storage/ostree").toString(),
                "ATOMIC_OSTREE_CHECKOUT_PATH", root.resolve("var/lib/containers/atomic").toString()),
            "pull", "--tls-verify=false", "--signature-policy", policy.toString(), "--registries.d",
            registriesD.toString(), "docker://" + image);
        boolean skopeoAccepts = theirs.exitCode() == 0;
        boolean weAccept = ours.exitCode() == 0;
        System.out.printf("%-18s %-20s skopeo %-7s syscontainers %s%n", c[0], c[1], skopeoAccepts ? "accepts" : "refuses",
            weAccept ? "accepts" : "refuses");
        accepted += weAccept ? 1 : 0;
        if (skopeoAccepts != weAccept) {
          disagreements.add(c[0] + " on " + c[1] + ": skopeo " + (skopeoAccepts ? "accepts" : "refuses (" + theirs.stderr().strip() + ")")
              + ", syscontainers " + (weAccept ? "accepts" : "refuses (" + ours.stderr().strip() + ")"));
        }
        if (!weAccept) {
          assertThat(Launcher.lines(ours.stderr())).as(c[0] + " " + c[1]).singleElement().asString()
              .contains("Refused docker://").contains("requires ");
          if (!before.isEmpty()) {
            assertThat(storeListing(root)).as("a refused image leaves the store as it was").isEqualTo(before);
          }
        }
      }
      assertThat(disagreements).as("cases where skopeo decides otherwise").isEmpty();
      assertThat(accepted).as("both outcomes are exercised").isBetween(10, cases.length - 10);
    }
  }

  private Path policy(String name, String json) throws Exception {
    Path p = tmp.resolve("policies/" + name + ".json");
    Files.createDirectories(p.getParent());
    return Files.writeString(p, json);
  }

  private static void skopeoCopy(String skopeo, Map<String, String> env, Path policy, Path registriesD, String from,
      String to, String signBy) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(skopeo, "--policy", policy.toString(), "--registries.d",
        registriesD.toString(), "copy", "--quiet", "--dest-tls-verify=false"));
    if (signBy != null) {
      cmd.addAll(List.of("--sign-by", signBy));
    }
    cmd.addAll(List.of(from, "docker://" + to));
    Exec.Result r = Exec.run(cmd, null, env);
    assertThat(r.exitCode()).as(String.join(" ", cmd) + "\n" + r.output()).isZero();
  }

  private static String digest(String skopeo, Path policy, String image) throws Exception {
    Exec.Result r = Exec.run(List.of(skopeo, "--policy", policy.toString(), "inspect", "--tls-verify=false",
        "--format", "{{.Digest}}", "docker://" + image));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.stdout().strip();
  }

  private static Path sigDir(Path lookaside, String repo, String digest) {
    return lookaside.resolve(repo + "@" + digest.replace(':', '='));
  }

  private static void addSignature(Path lookaside, String repo, String digest, byte[] sig) throws Exception {
    Path dir = Files.createDirectories(sigDir(lookaside, repo, digest));
    int n = 1;
    while (Files.exists(dir.resolve("signature-" + n))) {
      n++;
    }
    Files.write(dir.resolve("signature-" + n), sig);
  }

  private static void copySignature(Path lookaside, String fromRepo, String fromDigest, String toRepo, String toDigest)
      throws Exception {
    addSignature(lookaside, toRepo, toDigest, Files.readAllBytes(sigDir(lookaside, fromRepo, fromDigest).resolve("signature-1")));
  }

  /** The refs and objects of the store, to show that a refused image changed nothing. */
  private static String storeListing(Path root) throws Exception {
    Path repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
    if (!Files.isDirectory(repo)) {
      return "";
    }
    try (Stream<Path> s = Files.walk(repo)) {
      return String.join("\n", s.filter(p -> !p.toString().contains("/tmp")).map(p -> repo.relativize(p).toString())
          .sorted().toList());
    }
  }
}
