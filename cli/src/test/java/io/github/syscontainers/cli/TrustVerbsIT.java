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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: {@code trust show|add|delete|default|reset} as a person migrating from atomic uses them, in that order,
 * on a root of their own: the files are written as atomic wrote them (policy.json as Python's json.dump with indent
 * 4, registries.d/REGISTRY.yaml with the sigstore URL), pulls then obey them, skopeo 1.9.3 reading the same files
 * decides the same, and every bad input is one line with a non-zero status and no file changed.
 */
class TrustVerbsIT {
  @TempDir Path tmp;

  @Test
  void aPersonSetsUpTrustAndPullsObeyIt() throws Exception {
    Peers.requireRoot();
    String skopeo = Peers.require("skopeo").toString();
    Path archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path policy = root.resolve("etc/containers/policy.json");
    Path registriesD = root.resolve("etc/containers/registries.d");

    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"));
        DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      String a = gpg.newKey("Signer A <a@example.com>", "ed25519", null, "never");
      Path keyA = gpg.exportArmored(tmp.resolve("a.asc"), a);
      String reg = registry.address();
      // the root's signature store, named in its registries.d as the root sees it (file:///var/lib/sigs)
      Path lookaside = Files.createDirectories(root.resolve("var/lib/sigs"));
      String store = "file:///var/lib/sigs";
      Path pushD = Files.createDirectories(tmp.resolve("push.d"));
      Files.writeString(pushD.resolve("default.yaml"), "default-docker:\n  lookaside-staging: file://" + lookaside + "\n");
      Path acceptAll = Files.writeString(tmp.resolve("accept.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
      for (String[] push : new String[][] {{"signed/app:1", a}, {"unsigned/app:1", null}}) {
        List<String> cmd = new ArrayList<>(List.of(skopeo, "--policy", acceptAll.toString(), "--registries.d",
            pushD.toString(), "copy", "--quiet", "--dest-tls-verify=false"));
        if (push[1] != null) {
          cmd.addAll(List.of("--sign-by", push[1]));
        }
        cmd.addAll(List.of("oci-archive:" + archive, "docker://" + reg + "/" + push[0]));
        Exec.Result r = Exec.run(cmd, null, gpg.env());
        assertThat(r.exitCode()).as(r.output()).isZero();
      }

      // a fresh host: atomic's default policy, shown without writing it
      Exec.Result show = Launcher.run("trust", "show", "--root", root.toString());
      assertThat(show.exitCode()).as(show.output()).isZero();
      assertThat(show.stdout()).isEqualTo(String.format("%-35s %-6s %-29s %n", "* (default)", "accept", ""));
      assertThat(policy).doesNotExist();

      // trust the signer for the registry's "signed" namespace, from the person's own keyring
      Exec.Result add = Launcher.run(gpg.env(), "trust", "add", "--root", root.toString(), "-k", "a@example.com",
          "-s", store, reg + "/signed");
      assertThat(add.exitCode()).as(add.output()).isZero();
      String keyData = new ObjectMapper().readTree(Files.readString(policy)).path("transports").path("docker")
          .path(reg + "/signed").get(0).path("keyData").asText();
      assertThat(fingerprintsOf(gpg, Base64.getDecoder().decode(keyData))).as("the key exported from the keyring")
          .containsExactly(a);
      assertThat(Files.readString(policy)).isEqualTo("{\n"
          + "    \"default\": [\n        {\n            \"type\": \"insecureAcceptAnything\"\n        }\n    ],\n"
          + "    \"transports\": {\n"
          + "        \"docker-daemon\": {\n            \"\": [\n                {\n"
          + "                    \"type\": \"insecureAcceptAnything\"\n                }\n            ]\n        },\n"
          + "        \"docker\": {\n            \"" + reg + "/signed\": [\n                {\n"
          + "                    \"type\": \"signedBy\",\n                    \"keyType\": \"GPGKeys\",\n"
          + "                    \"keyData\": \"" + keyData + "\"\n                }\n            ]\n        }\n"
          + "    }\n}");
      ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
      assertThat(yaml.readTree(registriesD.resolve(reg + "-signed.yaml").toFile())).isEqualTo(
          yaml.readTree("docker:\n  \"" + reg + "/signed\":\n    sigstore: " + store + "\n"));
      assertThat(run("trust", "default", "reject", "--root", root.toString()).exitCode()).isZero();

      // pulls obey it: the signed image is accepted, the unsigned one refused before anything is stored
      Exec.Result signed = run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg + "/signed/app:1");
      assertThat(signed.exitCode()).as(signed.output()).isZero();
      String before = storeListing(root);
      Exec.Result unsigned =
          run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg + "/unsigned/app:1");
      assertThat(unsigned.exitCode()).isNotZero();
      assertThat(Launcher.lines(unsigned.stderr())).singleElement().asString()
          .contains("Refused docker://" + reg + "/unsigned/app:1").contains("the global default").contains("reject");
      assertThat(storeListing(root)).isEqualTo(before);
      // skopeo, reading the policy we wrote (and the store as the host sees it), decides the same
      Path hostD = Files.createDirectories(tmp.resolve("host.d"));
      Files.writeString(hostD.resolve("default.yaml"), "default-docker:\n  lookaside: file://" + lookaside + "\n");
      assertThat(skopeoAccepts(skopeo, policy, hostD, reg + "/signed/app:1")).isTrue();
      assertThat(skopeoAccepts(skopeo, policy, hostD, reg + "/unsigned/app:1")).isFalse();

      // what atomic trust show printed, and its JSON
      show = run("trust", "show", "--root", root.toString());
      assertThat(show.stdout()).isEqualTo(
          String.format("%-35s %-6s %-29s %n", "* (default)", "reject", "")
              + String.format("%-35s %-6s %-29s %s%n", reg + "/signed", "signed", "a@example.com", store));
      JsonNode json = new ObjectMapper().readTree(run("trust", "show", "-j", "--root", root.toString()).stdout());
      assertThat(json.path(reg + "/signed").path("type").asText()).isEqualTo("signedBy");
      assertThat(json.path(reg + "/signed").path("keys").get(0).asText()).isEqualTo(keyData);
      assertThat(json.path(reg + "/signed").path("sigstore").asText()).isEqualTo(store);
      assertThat(json.path("* (default)").path("keys").isNull()).isTrue();
      assertThat(run("trust", "show", "--raw", "--root", root.toString()).stdout())
          .isEqualTo(Files.readString(policy) + "\n");

      // the overwrite question, answered no, changes nothing; a key file installed under the root, answered yes
      String policyBefore = Files.readString(policy);
      Exec.Result no = Launcher.answer("n\n", "trust", "add", "--root", root.toString(), "-t", "reject", reg + "/signed");
      assertThat(no.exitCode()).isZero();
      assertThat(no.stdout()).contains("Trust policy already defined for web:" + reg + "/signed\nDo you want to overwrite?"
          + " (y/N) ");
      assertThat(Files.readString(policy)).isEqualTo(policyBefore);
      Path installed = Files.createDirectories(root.resolve("etc/pki/containers")).resolve("a.asc");
      Files.copy(keyA, installed);
      Exec.Result yes = Launcher.answer("y\n", "trust", "add", "--root", root.toString(), "-f",
          "/etc/pki/containers/a.asc", reg + "/signed");
      assertThat(yes.exitCode()).as(yes.output()).isZero();
      assertThat(new ObjectMapper().readTree(Files.readString(policy)).path("transports").path("docker")
          .path(reg + "/signed").get(0).path("keyPath").asText()).isEqualTo("/etc/pki/containers/a.asc");
      assertThat(run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg + "/signed/app:1")
          .exitCode()).isZero();

      // bad input: one line, non-zero, nothing changed
      policyBefore = Files.readString(policy);
      List<String> registriesBefore = listing(registriesD);
      String[][] bad = {
        {"At least one public key must be defined for type 'signedBy'", "trust", "add", reg + "/other"},
        {"was not found. This file must exist to proceed.", "trust", "add", "-f", "/etc/pki/none.gpg", reg + "/other"},
        {"does not start with a registry host", "trust", "add", "-t", "reject", "busybox"},
        {"Sigstore cannot be defined for sigstoretype 'atomic'", "trust", "add", "-t", "reject", "--sigstoretype",
          "atomic", "-s", "https://sigs.example.com", reg + "/other"},
        {"Invalid signature store URL", "trust", "add", "-t", "reject", "-s", "ftp://sigs", reg + "/other"},
        {"Could not find trust policy defined for web transport " + reg + "/none", "trust", "delete", reg + "/none"},
        {"as a GPG public key for signedBy", "trust", "add", "-k", archive.toString(), reg + "/other"},
        {"was not found as a file or in the GnuPG home", "trust", "add", "-k", "nobody@example.com", reg + "/other"},
        {"invalid choice: 'maybe'", "trust", "default", "maybe"},
        {"Invalid sigstore type ipfs", "trust", "add", "-t", "reject", "--sigstoretype", "ipfs", reg + "/other"},
      };
      for (String[] c : bad) {
        List<String> args = new ArrayList<>(List.of(c).subList(1, c.length));
        args.addAll(List.of("--root", root.toString()));
        Exec.Result r = Launcher.run(gpg.env(), args.toArray(String[]::new));
        assertThat(r.exitCode()).as(String.join(" ", args)).isNotZero();
        assertThat(Launcher.lines(r.stderr())).as(String.join(" ", args)).singleElement().asString().contains(c[0]);
        assertThat(Files.readString(policy)).as(String.join(" ", args)).isEqualTo(policyBefore);
        assertThat(listing(registriesD)).isEqualTo(registriesBefore);
      }

      // delete takes the registry's signature store with it; the signed image is refused again
      Exec.Result delete = run("trust", "delete", "--root", root.toString(), reg + "/signed");
      assertThat(delete.exitCode()).as(delete.output()).isZero();
      assertThat(listing(registriesD)).isEmpty();
      assertThat(run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + reg + "/signed/app:1")
          .stderr()).contains("Refused");

      // reset: atomic's default policy, every registries.d file but default.yaml removed
      Files.writeString(registriesD.resolve("default.yaml"), "default-docker:\n  sigstore: file:///var/lib/sigs\n");
      Files.writeString(registriesD.resolve("other.yaml"), "docker:\n  example.com:\n    sigstore: file:///x\n");
      Exec.Result reset = run("-y", "trust", "reset", "--root", root.toString());
      assertThat(reset.exitCode()).as(reset.output()).isZero();
      assertThat(new ObjectMapper().readTree(Files.readString(policy))).isEqualTo(new ObjectMapper().readTree(
          "{\"default\":[{\"type\":\"insecureAcceptAnything\"}],\"transports\":{\"docker-daemon\":{\"\":"
              + "[{\"type\":\"insecureAcceptAnything\"}]}}}"));
      assertThat(listing(registriesD)).containsExactly("default.yaml");
    }
  }

  @Test
  void whatTheVerbsDoNotOwnIsKept() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path policy = Files.createDirectories(root.resolve("etc/containers")).resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci-archive\":{\"/srv/images\":"
        + "[{\"type\":\"insecureAcceptAnything\"}]},\"docker\":{\"quay.io\":[{\"type\":\"signedBy\",\"keyType\":"
        + "\"GPGKeys\",\"keyPath\":\"/etc/pki/quay.gpg\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]}}}");
    Files.setPosixFilePermissions(policy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    Exec.Result add = run("trust", "add", "--root", root.toString(), "-t", "insecureAcceptAnything", "localhost:5000");
    assertThat(add.exitCode()).as(add.output()).isZero();
    JsonNode p = new ObjectMapper().readTree(Files.readString(policy));
    assertThat(p.path("transports").path("oci-archive").path("/srv/images").get(0).path("type").asText())
        .isEqualTo("insecureAcceptAnything");
    assertThat(p.path("transports").path("docker").path("quay.io").get(0).path("signedIdentity").path("type").asText())
        .isEqualTo("matchRepository");
    assertThat(p.path("transports").path("docker").path("localhost:5000").get(0).path("type").asText())
        .isEqualTo("insecureAcceptAnything");
    assertThat(p.path("default").get(0).path("type").asText()).isEqualTo("reject");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(policy)))
        .as("the file keeps its mode").isEqualTo("rw-r-----");
    // archive scopes, for air-gapped hosts: docker-archive has only its transport's own, written '*'
    Exec.Result archive = run("trust", "add", "--root", root.toString(), "--sigstoretype", "docker-archive", "-t",
        "reject", "*");
    assertThat(archive.exitCode()).as(archive.output()).isZero();
    assertThat(new ObjectMapper().readTree(Files.readString(policy)).path("transports").path("docker-archive").path("")
        .get(0).path("type").asText()).isEqualTo("reject");
    Exec.Result path = run("trust", "add", "--root", root.toString(), "--sigstoretype", "docker-archive", "-t",
        "reject", "/srv/untrusted");
    assertThat(path.exitCode()).isNotZero();
    assertThat(Launcher.lines(path.stderr())).singleElement().asString().contains("write '*'");
    assertThat(run("trust", "show", "--root", root.toString()).stdout()).contains("* (docker-archive)")
        .contains("oci-archive:/srv/images").doesNotContain("docker-daemon");

    // a policy that does not load is not changed, and the error says why
    Files.writeString(policy, "{\"default\":[{\"type\":\"acceptEverything\"}]}");
    Exec.Result broken = run("trust", "default", "accept", "--root", root.toString());
    assertThat(broken.exitCode()).isNotZero();
    assertThat(Launcher.lines(broken.stderr())).singleElement().asString().contains("acceptEverything");
    assertThat(Files.readString(policy)).isEqualTo("{\"default\":[{\"type\":\"acceptEverything\"}]}");
    // reset is what repairs it
    assertThat(run("-y", "trust", "reset", "--root", root.toString()).exitCode()).isZero();
    assertThat(run("trust", "show", "--root", root.toString()).stdout()).startsWith("* (default)").contains("accept");
  }

  private static Exec.Result run(String... args) throws Exception {
    return Launcher.run(args);
  }

  /** The primary key fingerprints gpg reads in {@code key}. */
  private List<String> fingerprintsOf(GpgHome gpg, byte[] key) throws Exception {
    Path f = Files.write(tmp.resolve("key-" + System.nanoTime()), key);
    Exec.Result r = Exec.run(List.of("gpg", "--show-keys", "--with-colons", f.toString()), null, gpg.env());
    assertThat(r.exitCode()).as(r.output()).isZero();
    List<String> out = new ArrayList<>();
    boolean primary = false;
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith("pub:")) {
        primary = true;
      } else if (line.startsWith("fpr:") && primary) {
        out.add(line.split(":")[9]);
        primary = false;
      } else if (line.startsWith("sub:")) {
        primary = false;
      }
    }
    return out;
  }

  private static boolean skopeoAccepts(String skopeo, Path policy, Path registriesD, String image) throws Exception {
    Exec.Result r = Exec.run(List.of(skopeo, "--policy", policy.toString(), "--registries.d", registriesD.toString(),
        "copy", "--quiet", "--src-tls-verify=false", "docker://" + image, "dir:" + Files.createTempDirectory("skopeo-out")));
    return r.exitCode() == 0;
  }

  private static List<String> listing(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String storeListing(Path root) throws Exception {
    Path repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
    try (Stream<Path> s = Files.walk(repo)) {
      return String.join("\n", s.filter(p -> !p.toString().contains("/tmp")).map(p -> repo.relativize(p).toString())
          .sorted().toList());
    }
  }
}
