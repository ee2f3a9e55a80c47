package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An update pulled in part (issue 32): v1 and v2 of an image, v2 with one 1 MiB file changed and 10 small files
 * added, published as zstd:chunked by our copy to a real docker-registry; a host pulls v1, then v2, which fetches its
 * table of contents, tar-split record and the files the store lacks, by range, and stores the same tree a full pull
 * stores (compared with ostree's own listing of a second store that pulled v2 alone), with ostree fsck clean. What the
 * registry sent is counted from its access log.
 */
class PartialPullIT {
  private static final Pattern BLOB_GET = Pattern.compile(
      "\"GET /v2/chunked/app/blobs/(sha256:[0-9a-f]{64}) HTTP/1\\.1\" (200|206) ([0-9]+) ");
  @TempDir Path tmp;

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** 300 files of 8-40 KiB, a 1 MiB file whose content the seed decides, and {@code extra} small files. */
  private static TestImage image(long bigSeed, int extra) {
    LayerBuilder l = LayerBuilder.layer().dir("app", 0755);
    for (int i = 0; i < 300; i++) {
      l.file("app/f" + i, random(8192 + (i * 97) % 32768, i), 0644, 0, 0);
    }
    l.file("app/big.bin", random(1 << 20, bigSeed), 0644, 0, 0);
    for (int i = 0; i < extra; i++) {
      l.file("app/new" + i, "new file " + i + "\n", 0644);
    }
    return TestImage.builder().layer(l).build();
  }

  private static void ok(Exec.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  /** Bytes the registry sent for blob GETs of chunked/app, from its access log. */
  private static long blobBytes(DockerRegistry registry) throws Exception {
    long total = 0;
    Matcher m = BLOB_GET.matcher(registry.log());
    while (m.find()) {
      total += Long.parseLong(m.group(3));
    }
    return total;
  }

  private static String ostreeLs(Path root, String ref) throws Exception {
    Exec.Result ls = Exec.run(List.of(Peers.require("ostree").toString(), "ls", "-R", "-C",
        "--repo=" + root.resolve("var/lib/containers/atomic/.storage/ostree"), ref));
    ok(ls);
    return ls.stdout();
  }

  @Test
  void anUpdateFetchesOnlyTheFilesTheStoreLacksAndStoresWhatAFullPullStores() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      TestImage v1 = image(1000, 0);
      TestImage v2 = image(2000, 10);
      pusher.push("src/app", "1", v1);
      pusher.push("src/app", "2", v2);
      for (String tag : List.of("1", "2")) {
        ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-compress-format",
            "zstd:chunked", "docker://" + reg + "/src/app:" + tag, "docker://" + reg + "/chunked/app:" + tag));
      }
      Path root = tmp.resolve("host");
      Exec.Result first = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(),
          "docker://" + reg + "/chunked/app:1");
      ok(first);
      assertThat(first.stdout()).contains("whole: no file of it is stored yet");
      long afterV1 = blobBytes(registry);

      Exec.Result update = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(),
          "docker://" + reg + "/chunked/app:2");
      ok(update);
      assertThat(update.stdout()).containsPattern("in part: [0-9.]+ MiB of [0-9.]+ MiB fetched \\(11 file\\(s\\); 300"
          + " already stored\\)");
      long sent = blobBytes(registry) - afterV1;
      long layerSize = Long.parseLong(Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw",
          "--tls-verify=false", "docker://" + reg + "/chunked/app:2")).stdout()
          .replaceAll("(?s).*\"layers\":\\[\\{[^}]*\"size\":([0-9]+).*", "$1"));
      System.out.println("PartialPullIT: the update's layer is " + layerSize + " bytes; the registry sent " + sent
          + " bytes of it by range");
      // the changed 1 MiB file (random: it does not compress), ten small ones, the table and the record
      assertThat(sent).isGreaterThan(1 << 20).isLessThan((1 << 20) + 200_000);
      assertThat(sent).isLessThan(layerSize / 5);

      // a store that pulled v2 alone, whole, holds the same tree
      Path alone = tmp.resolve("alone");
      ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", alone.toString(),
          "docker://" + reg + "/chunked/app:2"));
      String layerRef = "ociimage/" + Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw",
          "--tls-verify=false", "docker://" + reg + "/chunked/app:2")).stdout()
          .replaceAll("(?s).*\"layers\":\\[\\{[^}]*\"digest\":\"sha256:([0-9a-f]{64}).*", "$1");
      assertThat(ostreeLs(root, layerRef)).isEqualTo(ostreeLs(alone, layerRef));
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck",
          "--repo=" + root.resolve("var/lib/containers/atomic/.storage/ostree")));
      ok(fsck);
      Exec.Result ours = Launcher.run("fsck", "--root", root.toString());
      ok(ours);
      assertThat(ours.stdout()).contains("no errors found");
    }
  }
}
