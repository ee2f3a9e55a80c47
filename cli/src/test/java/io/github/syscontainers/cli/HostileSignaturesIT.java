package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.GpgHome;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.fixtures.TreeSnapshot;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28's hostile inputs, each through the CLI as a pull would meet it, each refused in one line with the store left
 * byte-identical and no layer requested: a 100 MB signature from an HTTP lookaside (read no further than the 4 MiB
 * cap), a lookaside that redirects to another host, a policy with an unknown field or requirement type, a signature
 * by an expired key, and a good signature whose payload names another digest. (An attachment manifest declaring a
 * huge layer is {@link SigstoreIT}'s.)
 */
class HostileSignaturesIT {
  @TempDir Path tmp;

  @Test
  void hostileSignaturesAndPoliciesAreRefusedAndNothingIsStored() throws Exception {
    Peers.requireRoot();
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path repo = root.resolve("var/lib/containers/atomic/.storage/ostree");
    TestImage base = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    TestImage image = SampleImage.build(Launcher.TOP.resolve("examples/hello"), Map.of("version", "2"));
    String digest = image.manifest().digest();
    AtomicLong bigBytesSent = new AtomicLong();
    HttpServer lookaside = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int port = lookaside.getAddress().getPort();
    lookaside.createContext("/big/", x -> {
      // 100 MB, declared, streamed for as long as the reader reads
      x.sendResponseHeaders(200, 100_000_000L);
      byte[] chunk = new byte[64 << 10];
      try (OutputStream out = x.getResponseBody()) {
        for (long sent = 0; sent < 100_000_000L; sent += chunk.length) {
          out.write(chunk);
          bigBytesSent.addAndGet(chunk.length);
        }
      } catch (java.io.IOException e) {
        // the reader hung up, as it should
      }
    });
    lookaside.createContext("/away/", x -> {
      x.getResponseHeaders().add("Location", "http://localhost:" + port + "/elsewhere/signature-1");
      x.sendResponseHeaders(302, -1);
      x.close();
    });
    lookaside.start();
    try (GpgHome gpg = GpgHome.create(tmp.resolve("gnupg"));
        DockerRegistry registry = DockerRegistry.start(tmp.resolve("registry"))) {
      String good = gpg.newKey("Good <good@example.com>", "ed25519", null, "never");
      String expired = gpg.newKey("Expired <expired@example.com>", "ed25519", "20200101T000000", "1d");
      Path keys = gpg.exportArmored(tmp.resolve("keys.asc"), good, expired);
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      pusher.push("base", "1", base);
      for (String r : new String[] {"big", "away", "old", "replay"}) {
        pusher.push(r, "1", image);
      }
      Path store = Files.createDirectories(root.resolve("var/lib/containers/sigstore"));
      // an expired key's signature, made while it was valid; a good key's signature of the base image, replayed
      sign(store, "old", digest, gpg.signWithFakedTime(expired, GpgHome.simpleSigningPayload(digest, reg + "/old:1"),
          "20200101T120000"));
      sign(store, "replay", digest, gpg.sign(good, GpgHome.simpleSigningPayload(base.manifest().digest(),
          reg + "/replay:1")));
      sign(store, "base", base.manifest().digest(), gpg.sign(good, GpgHome.simpleSigningPayload(
          base.manifest().digest(), reg + "/base:1")));
      Path registriesD = Files.createDirectories(root.resolve("etc/containers/registries.d"));
      Files.writeString(registriesD.resolve("hostile.yaml"), "default-docker:\n  lookaside: file:///var/lib/containers/"
          + "sigstore\ndocker:\n  " + reg + "/big:\n    lookaside: http://127.0.0.1:" + port + "/big\n  " + reg
          + "/away:\n    lookaside: http://127.0.0.1:" + port + "/away\n");
      assertThat(Launcher.run("trust", "add", "--root", root.toString(), "-k", keys.toString(), reg).exitCode()).isZero();
      assertThat(Launcher.run("trust", "default", "reject", "--root", root.toString()).exitCode()).isZero();
      Exec.Result first = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false",
          "docker://" + reg + "/base:1");
      assertThat(first.exitCode()).as(first.output()).isZero();
      Map<String, String> before = TreeSnapshot.of(repo, true);

      Exec.Result big = pull(root, reg + "/big:1");
      assertThat(big.stderr()).contains("/big/big@" + digest.replace(':', '=') + "/signature-1 is over the 4 MiB limit");
      assertThat(bigBytesSent.get()).as("bytes the lookaside managed to send").isLessThan(16L << 20);
      assertThat(pull(root, reg + "/away:1").stderr()).contains("redirects to http://localhost:" + port)
          .contains("another host");
      assertThat(pull(root, reg + "/old:1").stderr()).contains("which expired on 2020-01-02");
      assertThat(pull(root, reg + "/replay:1").stderr())
          .contains("is for the digest " + base.manifest().digest() + ", not this image's " + digest);

      Path policy = root.resolve("etc/containers/policy.json");
      String trusted = Files.readString(policy);
      Files.writeString(policy, trusted.replaceFirst("\\{", "{\"transport\": {},"));
      assertThat(pull(root, reg + "/base:1").stderr()).contains("unknown field \"transport\"");
      Files.writeString(policy, "{\"default\": [{\"type\": \"acceptEverything\"}]}");
      assertThat(pull(root, reg + "/base:1").stderr()).contains("unknown type \"acceptEverything\"");

      assertThat(TreeSnapshot.of(repo, true)).isEqualTo(before);
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo));
      assertThat(fsck.exitCode()).as(fsck.output()).isZero();
      List<String> requested = registry.log().lines().filter(l -> l.contains("\"GET /v2/")
          && l.contains("/blobs/" + image.config().digest())).toList();
      assertThat(requested).isEmpty();
    } finally {
      lookaside.stop(0);
    }
  }

  /** A refused pull: non-zero, one line on stderr. */
  private static Exec.Result pull(Path root, String image) throws Exception {
    Exec.Result r = Launcher.run("pull", "--root", root.toString(), "--tls-verify=false", "docker://" + image);
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(Launcher.lines(r.stderr())).as(r.stderr()).hasSize(1);
    return r;
  }

  private static void sign(Path store, String repository, String digest, byte[] signature) throws Exception {
    Path dir = Files.createDirectories(store.resolve(repository + "@" + digest.replace(':', '=')));
    Files.write(dir.resolve("signature-1"), signature);
  }
}
