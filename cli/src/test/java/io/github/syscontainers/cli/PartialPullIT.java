package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.EstargzLayer;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.RegistryPusher;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.fixtures.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An update pulled in part (issue 32): v1 and v2 of an image, v2 with one 1 MiB file changed and 10 small files
 * added, published as zstd:chunked by our copy to a real docker-registry; a host pulls v1, then v2, which fetches its
 * table of contents, tar-split record and the files the store lacks, by range, and stores the same tree a full pull
 * stores (compared with ostree's own listing of a second store that pulled v2 alone), with ostree fsck clean. What the
 * registry sent is counted from its access log. Then the same update through a proxy that breaks what partial pulls
 * lean on (it ignores Range, sends fewer ranges than asked, corrupts a file's frames or the table of contents): each
 * time the layer is fetched whole, with one line saying why, and the store is whole.
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

  /**
   * 300 files of 8-40 KiB, a 1 MiB file whose content the seed decides (as it does that of the file in the middle,
   * f150, so that what changes lies in two places of the blob), and {@code extra} small files.
   */
  private static TestImage image(long bigSeed, int extra) {
    return TestImage.builder().layer(files(bigSeed, extra)).build();
  }

  /** The layer of {@link #image}. */
  private static LayerBuilder files(long bigSeed, int extra) {
    LayerBuilder l = LayerBuilder.layer().dir("app", 0755);
    for (int i = 0; i < 300; i++) {
      l.file("app/f" + i, random(8192 + (i * 97) % 32768, i == 150 ? bigSeed : i), 0644, 0, 0);
    }
    l.file("app/big.bin", random(1 << 20, bigSeed), 0644, 0, 0);
    for (int i = 0; i < extra; i++) {
      l.file("app/new" + i, "new file " + i + "\n", 0644);
    }
    return l;
  }

  private static void ok(Exec.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  /** Bytes the registry sent for blob GETs of chunked/app, from its access log. */
  private static long blobBytes(DockerRegistry registry) throws Exception {
    long total = 0;
    Matcher m = BLOB_GET.matcher(registry.settledLog());
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

  /** Copies src/app:1 and :2 to chunked/app as zstd:chunked, with our copy. */
  private static void publishChunked(String reg) throws Exception {
    for (String tag : List.of("1", "2")) {
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-compress-format",
          "zstd:chunked", "docker://" + reg + "/src/app:" + tag, "docker://" + reg + "/chunked/app:" + tag));
    }
  }

  /** Pulls chunked/app:2 into a store of its own, whole; returns the ref of its layer. */
  private static String pullAlone(String reg, Path alone) throws Exception {
    ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", alone.toString(),
        "docker://" + reg + "/chunked/app:2"));
    return "ociimage/" + firstLayerHex(Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw",
        "--tls-verify=false", "docker://" + reg + "/chunked/app:2")).stdout());
  }

  /** The hex of the first layer's digest in a manifest's JSON. */
  private static String firstLayerHex(String manifest) {
    return manifest.replaceAll("(?s).*\"layers\":\\[\\{[^}]*\"digest\":\"sha256:([0-9a-f]{64}).*", "$1");
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
      publishChunked(reg);
      Path root = tmp.resolve("host");
      Exec.Result first = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(),
          "docker://" + reg + "/chunked/app:1");
      ok(first);
      assertThat(first.stdout()).contains("whole: no file of it is stored yet");
      long afterV1 = blobBytes(registry);

      Exec.Result update = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(),
          "docker://" + reg + "/chunked/app:2");
      ok(update);
      assertThat(update.stdout()).containsPattern("in part: [0-9.]+ MiB of [0-9.]+ MiB fetched \\(12 file\\(s\\); 299"
          + " already stored\\)");
      long sent = blobBytes(registry) - afterV1;
      long layerSize = Long.parseLong(Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw",
          "--tls-verify=false", "docker://" + reg + "/chunked/app:2")).stdout()
          .replaceAll("(?s).*\"layers\":\\[\\{[^}]*\"size\":([0-9]+).*", "$1"));
      System.out.println("PartialPullIT: the update's layer is " + layerSize + " bytes; the registry sent " + sent
          + " bytes of it by range");
      // the changed 1 MiB file and f150 (random: they do not compress), ten small ones, the table and the record
      assertThat(sent).isGreaterThan(1 << 20).isLessThan((1 << 20) + 250_000);
      assertThat(sent).isLessThan(layerSize / 5);

      // a store that pulled v2 alone, whole, holds the same tree
      Path alone = tmp.resolve("alone");
      String layerRef = pullAlone(reg, alone);
      assertThat(ostreeLs(root, layerRef)).isEqualTo(ostreeLs(alone, layerRef));
      Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck",
          "--repo=" + root.resolve("var/lib/containers/atomic/.storage/ostree")));
      ok(fsck);
      Exec.Result ours = Launcher.run("fsck", "--root", root.toString());
      ok(ours);
      assertThat(ours.stdout()).contains("no errors found");
    }
  }

  /** What the proxy breaks. */
  enum Fault {
    IGNORE_RANGE("ignores Range requests"),
    FEWER_RANGES("did not send"),
    CORRUPT_FILE("fetched by range is not the"),
    CORRUPT_TOC("its table of contents does not match the checksum");

    final String reason;

    Fault(String reason) {
      this.reason = reason;
    }
  }

  /** Forwards to {@code upstream}, breaking the answers to Range requests as {@code fault} says. */
  private static MockWebServer proxy(String upstream, Fault[] fault, AtomicInteger ranged) throws Exception {
    OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        Request.Builder b = new Request.Builder().url("http://" + upstream + r.getTarget());
        for (String h : List.of("Accept", "Accept-Encoding")) {
          if (r.getHeaders().get(h) != null) {
            b.header(h, r.getHeaders().get(h));
          }
        }
        String range = r.getHeaders().get("Range");
        if (range != null && fault[0] != Fault.IGNORE_RANGE) {
          b.header("Range", range);
        }
        if (r.getMethod().equals("HEAD")) {
          b.head();
        }
        try (Response resp = http.newCall(b.build()).execute()) {
          byte[] body = resp.body().bytes();
          MockResponse.Builder m = new MockResponse.Builder().code(resp.code());
          for (String name : resp.headers().names()) {
            if (!List.of("content-length", "transfer-encoding", "connection").contains(name.toLowerCase())) {
              m.addHeader(name, resp.header(name));
            }
          }
          if (resp.code() == 206) {
            body = broken(body, resp.header("Content-Type", ""), fault[0], ranged.incrementAndGet());
          }
          if (r.getMethod().equals("HEAD")) {
            return m.build();
          }
          return m.body(new okio.Buffer().write(body)).build();
        } catch (java.io.IOException e) {
          return new MockResponse.Builder().code(502).build();
        }
      }
    });
    server.start();
    return server;
  }

  /** The body of the {@code n}th ranged answer as {@code fault} breaks it. */
  private static byte[] broken(byte[] body, String type, Fault fault, int n) {
    if (fault == Fault.FEWER_RANGES && type.startsWith("multipart/byteranges") && n == 2) {
      String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length());
      String text = new String(body, StandardCharsets.ISO_8859_1);
      int second = text.indexOf("--" + boundary, text.indexOf("--" + boundary) + 2);
      return (text.substring(0, second) + "--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
    if ((fault == Fault.CORRUPT_TOC && n == 1) || (fault == Fault.CORRUPT_FILE && n == 2)) {
      // the first answer starts with the table of contents; the second holds the files' frames
      byte[] b = body.clone();
      b[fault == Fault.CORRUPT_TOC ? 100 : b.length * 2 / 3] ^= 0x55;
      return b;
    }
    return body;
  }

  @Test
  void whatBreaksAPartialPullFallsBackToTheWholeBlobWithOneLine() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      pusher.push("src/app", "1", image(1000, 0));
      pusher.push("src/app", "2", image(2000, 10));
      publishChunked(reg);
      Path alone = tmp.resolve("alone");
      String layerRef = pullAlone(reg, alone);
      String expected = ostreeLs(alone, layerRef);
      Fault[] fault = new Fault[1];
      AtomicInteger ranged = new AtomicInteger();
      try (MockWebServer proxy = proxy(reg, fault, ranged)) {
        String via = "127.0.0.1:" + proxy.getPort();
        for (Fault f : Fault.values()) {
          Path root = tmp.resolve("host-" + f);
          ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root.toString(),
              "docker://" + reg + "/chunked/app:1"));
          fault[0] = f;
          ranged.set(0);
          Exec.Result update = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(),
              "docker://" + via + "/chunked/app:2");
          ok(update);
          List<String> whole = Launcher.lines(update.stdout()).stream().filter(l -> l.contains(" whole: ")).toList();
          System.out.println("PartialPullIT " + f + ": " + whole);
          assertThat(whole).as(f + ": " + update.output()).singleElement().asString().contains(f.reason);
          assertThat(update.stdout()).as(f.toString()).doesNotContain("in part:");
          assertThat(ostreeLs(root, layerRef)).as(f.toString()).isEqualTo(expected);
          Path tmpDir = root.resolve("var/lib/containers/atomic/.storage/ostree/tmp");
          try (var left = Files.list(tmpDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no spool left")
                .noneMatch(n -> n.startsWith("partial-") && !n.equals("partial-blobs"));
          }
          Exec.Result fsck = Launcher.run("fsck", "--root", root.toString());
          ok(fsck);
        }
      }
    }
  }

  @Test
  void skopeosOlderZstdChunkedHasNoTarSplitAndIsFetchedWholeSayingWhy() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      String reg = registry.address();
      new RegistryPusher(reg).push("src/app", "1", image(1000, 0));
      Exec.Result copied = Exec.run(List.of(Peers.require("skopeo").toString(), "copy", "-q", "--src-tls-verify=false",
          "--dest-tls-verify=false", "--dest-compress-format", "zstd:chunked", "docker://" + reg + "/src/app:1",
          "docker://" + reg + "/skopeo/app:1"));
      ok(copied);
      String raw = Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw", "--tls-verify=false",
          "docker://" + reg + "/skopeo/app:1")).stdout();
      assertThat(raw).contains("io.containers.zstd-chunked.manifest-checksum")
          .doesNotContain("tarsplit-position");
      Path root = tmp.resolve("host");
      Exec.Result pull = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(),
          "docker://" + reg + "/skopeo/app:1");
      ok(pull);
      assertThat(Launcher.lines(pull.stdout()).stream().filter(l -> l.contains(" whole: ")).toList()).singleElement()
          .asString().contains("of the older kind (as skopeo 1.9.3 writes it), without a tar-split record");
      // the same tree as the gzip image it was made from
      ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root.toString(), "docker://" + reg + "/src/app:1"));
      String zstdLayer = firstLayerHex(raw);
      String gzipLayer = firstLayerHex(Exec.run(List.of(Peers.require("skopeo").toString(), "inspect", "--raw",
          "--tls-verify=false", "docker://" + reg + "/src/app:1")).stdout());
      assertThat(zstdLayer).isNotEqualTo(gzipLayer);
      assertThat(ostreeLs(root, "ociimage/" + zstdLayer)).isEqualTo(ostreeLs(root, "ociimage/" + gzipLayer));
    }
  }

  /**
   * The other verbs that fetch an update take the partial path too, as a user meets them: {@code images update} of
   * a moved tag, {@code containers update --rebase} to another tag, and {@code auto-update} (issue 33) of a container
   * whose tag moved.
   */
  @Test
  void imagesUpdateRebaseAndAutoUpdateFetchInPart() throws Exception {
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      pusher.push("src/app", "1", image(1000, 0));
      pusher.push("src/app", "2", image(2000, 10));
      pusher.push("src/app", "3", image(3000, 20));
      pusher.push("src/app", "4", image(4000, 30));
      publishChunked(reg);
      String latest = reg + "/chunked/app:latest";
      String r = tmp.resolve("host").toString();
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-compress-format",
          "zstd:chunked", "docker://" + reg + "/src/app:1", "docker://" + latest));
      ok(Launcher.run("install", "--system", "--name", "app", "--tls-verify=false", "--root", r,
          "--set", "io.containers.autoupdate=registry", "docker://" + latest));
      ok(Launcher.run("install", "--system", "--name", "other", "--tls-verify=false", "--root", r,
          "docker://" + reg + "/chunked/app:1"));

      Exec.Result rebase = Launcher.run("containers", "update", "--tls-verify=false", "--root", r, "--rebase",
          "docker://" + reg + "/chunked/app:2", "other");
      ok(rebase);
      assertThat(rebase.stdout()).contains(" in part: ");
      assertThat(tmp.resolve("host/var/lib/containers/atomic/other.1/rootfs/app/new9")).hasContent("new file 9\n");

      // the publisher moves latest to v3: images update fetches it in part, auto-update then only switches
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-compress-format",
          "zstd:chunked", "docker://" + reg + "/src/app:3", "docker://" + latest));
      Exec.Result images = Launcher.run("images", "update", "--tls-verify=false", "--root", r, latest);
      ok(images);
      assertThat(images.stdout()).contains(" in part: ");
      long before = blobBytes(registry);
      Exec.Result auto = Launcher.run("auto-update", "--tls-verify=false", "--root", r, "--json");
      ok(auto);
      assertThat(auto.stdout()).contains("\"status\" : \"updated\"");
      assertThat(blobBytes(registry) - before).as("the image was stored already: no blob fetched again").isZero();
      assertThat(tmp.resolve("host/var/lib/containers/atomic/app.1/rootfs/app/new19")).hasContent("new file 19\n");

      // and a tag that moves again is fetched in part by auto-update itself
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-compress-format",
          "zstd:chunked", "docker://" + reg + "/src/app:4", "docker://" + latest));
      Exec.Result again = Launcher.run("auto-update", "--tls-verify=false", "--root", r);
      ok(again);
      assertThat(again.stdout()).contains(" in part: ").containsPattern("app +\\S+ +registry .* updated");
      assertThat(tmp.resolve("host/var/lib/containers/atomic/app.0/rootfs/app/new29")).hasContent("new file 29\n");
    }
  }

  @Test
  void downloadOnlyFetchesTheUpdateInPartAndTheUpdateThenNeedsNoRegistry() throws Exception {
    Path root = tmp.resolve("host");
    String image;
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      pusher.push("src/app", "1", image(1000, 0));
      pusher.push("src/app", "2", image(2000, 10));
      image = reg + "/chunked/app:latest";
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-compress-format",
          "zstd:chunked", "docker://" + reg + "/src/app:1", "docker://" + image));
      ok(Launcher.run("install", "--system", "--name", "app", "--tls-verify=false", "--root", root.toString(),
          "docker://" + image));
      assertThat(root.resolve("var/lib/containers/atomic/app.0/rootfs/app/big.bin")).exists();
      // the publisher moves latest to v2
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-compress-format",
          "zstd:chunked", "docker://" + reg + "/src/app:2", "docker://" + image));
      Exec.Result download = Launcher.run("containers", "update", "--download-only", "--tls-verify=false",
          "--root", root.toString(), "app");
      ok(download);
      assertThat(download.stdout()).contains(" in part: ")
          .contains("Downloaded " + image + " (").contains("for app; `containers update app` switches to it");
      assertThat(root.resolve("var/lib/containers/atomic/app.1")).as("nothing deployed yet").doesNotExist();
      ok(Exec.run(List.of(Peers.require("skopeo").toString(), "copy", "-q", "--src-tls-verify=false",
          "docker://" + reg + "/src/app:2", "oci:" + tmp.resolve("v2-layout") + ":2")));
    }
    // the registry is gone: the switch needs nothing from it
    Exec.Result update = Launcher.run("containers", "update", "--root", root.toString(), "app");
    ok(update);
    assertThat(root.resolve("var/lib/containers/atomic/app.1/rootfs/app/new9")).hasContent("new file 9\n");
    assertThat(root.resolve("var/lib/containers/atomic/app.1/rootfs/app/big.bin")).hasBinaryContent(
        random(1 << 20, 2000));
    // the tree umoci unpacks from v2's gzip original
    Path bundle = tmp.resolve("umoci-v2");
    ok(Exec.run(List.of(Peers.require("umoci").toString(), "unpack", "--image", tmp.resolve("v2-layout") + ":2",
        bundle.toString())));
    assertThat(TreeSnapshot.of(root.resolve("var/lib/containers/atomic/app.1/rootfs"), true))
        .isEqualTo(TreeSnapshot.of(bundle.resolve("rootfs"), true));
  }

  @Test
  void anEstargzLayerIsPulledWholeSayingWhyAndInstalls() throws Exception {
    LayerBuilder files = LayerBuilder.layer().dir("app", 0755);
    for (int i = 0; i < 50; i++) {
      files.file("app/f" + i, random(4096 + i * 100, i), 0644, 0, 0);
    }
    files.file("app/hello", "hello from estargz\n", 0644);
    EstargzLayer.Built layer = EstargzLayer.of(files);
    TestImage image = TestImage.builder().compressedLayer(layer.blob(), layer.diffId()).build();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode m =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(image.manifest().data());
    com.fasterxml.jackson.databind.node.ObjectNode a =
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("layers").get(0)).putObject("annotations");
    layer.annotations().forEach(a::put);
    byte[] manifest = json.writeValueAsBytes(m);
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      String reg = registry.address();
      List<TestImage.Blob> blobs = new java.util.ArrayList<>(image.layers());
      blobs.add(image.config());
      new RegistryPusher(reg).pushManifest("estargz/app", "1", new TestImage.Blob(image.manifest().mediaType(),
          LayerBuilder.sha256(manifest), manifest), blobs);
      Path root = tmp.resolve("host");
      Exec.Result install = Launcher.run("install", "--system", "--name", "app", "--tls-verify=false", "--root",
          root.toString(), "docker://" + reg + "/estargz/app:1");
      ok(install);
      assertThat(Launcher.lines(install.stdout()).stream().filter(l -> l.contains(" whole: ")).toList())
          .singleElement().asString().contains("an eStargz layer carries no tar-split record");
      // a gzip stream of many members, read whole: the files, and the table the tar carries
      Path rootfs = root.resolve("var/lib/containers/atomic/app.0/rootfs");
      assertThat(rootfs.resolve("app/hello")).hasContent("hello from estargz\n");
      assertThat(rootfs.resolve("app/f49")).hasBinaryContent(random(4096 + 49 * 100, 49));
      assertThat(rootfs.resolve("stargz.index.json")).isRegularFile();
      ok(Launcher.run("fsck", "--root", root.toString()));
    }
  }

  /** A skippable zstd frame holding {@code data}. */
  private static byte[] skippable(byte[] data) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x184D2A50).putInt(data.length).put(data);
    return b.array();
  }

  private static long[] position(String text) {
    return java.util.Arrays.stream(text.split(":")).mapToLong(Long::parseLong).toArray();
  }

  @Test
  void aTableOfAnUnknownVersionIsFetchedWholeSayingWhy() throws Exception {
    // v2 written as zstd:chunked, then its table rewritten as version 2 (with a checksum that holds)
    byte[] tar = files(2000, 10).tar();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    var written = io.github.syscontainers.objectstore.chunked.ZstdChunkedWriter.write(
        new java.io.ByteArrayInputStream(tar), out);
    byte[] blob = out.toByteArray();
    long[] toc = position(written.annotations().get("io.github.containers.zstd-chunked.manifest-position"));
    long[] split = position(written.annotations().get("io.github.containers.zstd-chunked.tarsplit-position"));
    byte[] json;
    try (var in = new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(blob, (int) toc[0],
        (int) toc[1]))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"version\":1", "\"version\":2")
          .getBytes(StandardCharsets.UTF_8);
    }
    byte[] tocZ = com.github.luben.zstd.Zstd.compress(json);
    byte[] splitZ = java.util.Arrays.copyOfRange(blob, (int) split[0], (int) (split[0] + split[1]));
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(blob, 0, (int) toc[0] - 8);
    long tocOffset = b.size() + 8;
    b.write(skippable(tocZ));
    long splitOffset = b.size() + 8;
    b.write(skippable(splitZ));
    java.nio.ByteBuffer footer = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    footer.putLong(tocOffset).putLong(tocZ.length).putLong(json.length).putLong(1).putLong(splitOffset)
        .putLong(splitZ.length).putLong(split[2]).put("GNUlInUx".getBytes(StandardCharsets.US_ASCII));
    b.write(skippable(footer.array()));
    byte[] v2 = b.toByteArray();
    TestImage image = TestImage.builder().compressedLayer(v2, LayerBuilder.sha256(tar)).build();
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var m = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(image.manifest().data());
    var layer = (com.fasterxml.jackson.databind.node.ObjectNode) m.get("layers").get(0);
    layer.put("mediaType", "application/vnd.oci.image.layer.v1.tar+zstd");
    var a = layer.putObject("annotations");
    a.put("io.github.containers.zstd-chunked.manifest-checksum", LayerBuilder.sha256(tocZ));
    a.put("io.github.containers.zstd-chunked.manifest-position", tocOffset + ":" + tocZ.length + ":" + json.length + ":1");
    a.put("io.github.containers.zstd-chunked.tarsplit-position", splitOffset + ":" + splitZ.length + ":" + split[2]);
    byte[] manifest = mapper.writeValueAsBytes(m);
    try (DockerRegistry registry = DockerRegistry.start(tmp.resolve("reg"))) {
      String reg = registry.address();
      RegistryPusher pusher = new RegistryPusher(reg);
      pusher.push("src/app", "1", image(1000, 0));
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-compress-format",
          "zstd:chunked", "docker://" + reg + "/src/app:1", "docker://" + reg + "/chunked/app:1"));
      List<TestImage.Blob> blobs = new java.util.ArrayList<>(image.layers());
      blobs.add(image.config());
      pusher.pushManifest("chunked/app", "2", new TestImage.Blob(image.manifest().mediaType(),
          LayerBuilder.sha256(manifest), manifest), blobs);
      Path root = tmp.resolve("host");
      ok(Launcher.run("pull", "-q", "--tls-verify=false", "--root", root.toString(),
          "docker://" + reg + "/chunked/app:1"));
      Exec.Result update = Launcher.run("pull", "--tls-verify=false", "--root", root.toString(),
          "docker://" + reg + "/chunked/app:2");
      ok(update);
      assertThat(Launcher.lines(update.stdout()).stream().filter(l -> l.contains(" whole: ")).toList())
          .singleElement().asString().contains("its table of contents is of version 2, not 1, the one known here");
      ok(Launcher.run("fsck", "--root", root.toString()));
    }
  }
}
