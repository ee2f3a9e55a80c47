package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.fixtures.DockerRegistry;
import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.fixtures.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy} between every pair of transports a user meets, checked by the real tools: what we write is read by
 * {@code skopeo inspect}/{@code skopeo copy} and unpacked by {@code umoci} to the tree the source unpacks to; what
 * skopeo writes is read by us; manifests that go unchanged keep their digest ({@code skopeo inspect --raw | sha256sum}).
 */
class CopyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  String skopeo;
  String umoci;
  Path layout;
  String sourceDigest;

  @BeforeEach
  void image() throws Exception {
    skopeo = Peers.require("skopeo").toString();
    umoci = Peers.require("umoci").toString();
    layout = tmp.resolve("src");
    TestImage image = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    image.writeOciLayout(layout, "1");
    sourceDigest = image.manifest().digest();
  }

  /** The sha256 of the manifest skopeo reads raw from {@code ref}. */
  private String rawDigest(String ref, String... flags) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(skopeo, "inspect", "--raw"));
    cmd.addAll(List.of(flags));
    cmd.add(ref);
    Exec.Result r = Exec.run(cmd);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return "sha256:" + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(r.stdout().getBytes(StandardCharsets.UTF_8)));
  }

  /** umoci's unpacked rootfs of an OCI layout image. */
  private Map<String, String> unpacked(Path ociLayout, String ref) throws Exception {
    Path bundle = tmp.resolve("bundle-" + ociLayout.getFileName() + "-" + ref);
    if (Files.exists(bundle)) {
      return TreeSnapshot.of(bundle.resolve("rootfs"), true);
    }
    Exec.Result u = Exec.run(List.of(umoci, "unpack", "--image", ociLayout + ":" + ref, bundle.toString()));
    assertThat(u.exitCode()).as(u.output()).isZero();
    return TreeSnapshot.of(bundle.resolve("rootfs"), true);
  }

  private void ok(Exec.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void archivesWeWriteAreReadBySkopeoAndUnpackByUmociToTheSourceTree() throws Exception {
    Map<String, String> expected = unpacked(layout, "1");

    // oci -> oci-archive: layers as they were, so the manifest and its digest are kept
    Path ociArchive = tmp.resolve("hello-oci.tar");
    Exec.Result copy = Launcher.run("copy", "oci:" + layout + ":1", "oci-archive:" + ociArchive + ":hello-1");
    ok(copy);
    assertThat(copy.stdout()).contains("Copied oci:" + layout + ":1 to oci-archive:" + ociArchive + ":hello-1 ("
        + sourceDigest + ", manifest kept)");
    assertThat(rawDigest("oci-archive:" + ociArchive + ":hello-1")).isEqualTo(sourceDigest);
    Path back = tmp.resolve("back");
    ok(Exec.run(List.of(skopeo, "copy", "oci-archive:" + ociArchive + ":hello-1", "oci:" + back + ":b")));
    assertThat(unpacked(back, "b")).isEqualTo(expected);

    // oci -> docker-archive: layers decompressed to their DiffIDs' tars, the RepoTag a docker load would show
    Path dockerArchive = tmp.resolve("hello-docker.tar");
    ok(Launcher.run("copy", "-q", "oci:" + layout + ":1", "docker-archive:" + dockerArchive + ":example.com/hello:1"));
    JsonNode manifestJson = JSON.readTree(Exec.run(List.of("tar", "-xOf", dockerArchive.toString(), "manifest.json"))
        .stdout());
    assertThat(manifestJson.get(0).path("RepoTags").get(0).asText()).isEqualTo("example.com/hello:1");
    Path fromDocker = tmp.resolve("from-docker");
    ok(Exec.run(List.of(skopeo, "copy", "docker-archive:" + dockerArchive, "oci:" + fromDocker + ":d")));
    assertThat(unpacked(fromDocker, "d")).isEqualTo(expected);
    assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));

    // --additional-tag: more RepoTags in a docker-archive, more ref names in an oci-archive; skopeo reads each
    Path tagged = tmp.resolve("tagged.tar");
    ok(Launcher.run("copy", "-q", "--additional-tag", "example.com/hello:latest", "--additional-tag",
        "other.example/hi:2", "oci:" + layout + ":1", "docker-archive:" + tagged + ":example.com/hello:1"));
    JsonNode tags = JSON.readTree(Exec.run(List.of("tar", "-xOf", tagged.toString(), "manifest.json")).stdout())
        .get(0).path("RepoTags");
    assertThat(tags.toString()).isEqualTo("[\"example.com/hello:1\",\"example.com/hello:latest\",\"other.example/hi:2\"]");
    ok(Exec.run(List.of(skopeo, "inspect", "docker-archive:" + tagged + ":other.example/hi:2")));
    Path named = tmp.resolve("named.tar");
    ok(Launcher.run("copy", "-q", "--additional-tag", "second", "oci:" + layout + ":1", "oci-archive:" + named
        + ":first"));
    assertThat(rawDigest("oci-archive:" + named + ":first")).isEqualTo(sourceDigest);
    assertThat(rawDigest("oci-archive:" + named + ":second")).isEqualTo(sourceDigest);

    // oci -> dir: read by skopeo, manifest kept
    Path dir = tmp.resolve("dir");
    ok(Launcher.run("copy", "-q", "oci:" + layout + ":1", "dir:" + dir));
    assertThat(Files.readString(dir.resolve("version"))).isEqualTo("Directory Transport Version: 1.1\n");
    assertThat(rawDigest("dir:" + dir)).isEqualTo(sourceDigest);

    // our docker-archive -> our OCI layout (gzip on the way) -> umoci
    Path ours = tmp.resolve("ours");
    ok(Launcher.run("copy", "-q", "docker-archive:" + dockerArchive, "oci:" + ours + ":o"));
    assertThat(unpacked(ours, "o")).isEqualTo(expected);
    // and from dir: back to an oci layout: the same manifest
    Path fromDir = tmp.resolve("from-dir");
    ok(Launcher.run("copy", "-q", "dir:" + dir, "oci:" + fromDir + ":x"));
    assertThat(rawDigest("oci:" + fromDir + ":x")).isEqualTo(sourceDigest);
  }

  @Test
  void zstdLayersAreWrittenReadBySkopeoAndInstalled() throws Exception {
    Map<String, String> expected = unpacked(layout, "1");
    Path zstd = tmp.resolve("zstd.tar");
    Exec.Result copy = Launcher.run("copy", "--json", "--dest-compress-format", "zstd", "oci:" + layout + ":1",
        "oci-archive:" + zstd + ":z");
    ok(copy);
    assertThat(copy.stdout()).contains("\"manifestKept\":false");
    JsonNode manifest = JSON.readTree(Exec.run(List.of(skopeo, "inspect", "--raw", "oci-archive:" + zstd + ":z"))
        .stdout());
    assertThat(manifest.path("layers").findValuesAsText("mediaType"))
        .containsOnly("application/vnd.oci.image.layer.v1.tar+zstd");
    // skopeo decompresses them back to the same tree; we decompress them into a docker-archive and install from both
    Path back = tmp.resolve("zstd-back");
    ok(Exec.run(List.of(skopeo, "copy", "--dest-compress-format", "gzip", "oci-archive:" + zstd + ":z",
        "oci:" + back + ":b")));
    assertThat(unpacked(back, "b")).isEqualTo(expected);
    Path docker = tmp.resolve("from-zstd.tar");
    ok(Launcher.run("copy", "-q", "oci-archive:" + zstd + ":z", "docker-archive:" + docker));
    Path fromDocker = tmp.resolve("from-zstd-docker");
    ok(Exec.run(List.of(skopeo, "copy", "docker-archive:" + docker, "oci:" + fromDocker + ":d")));
    assertThat(unpacked(fromDocker, "d")).isEqualTo(expected);
    String root = tmp.resolve("root").toString();
    ok(Launcher.run("install", "--system", "--name", "hello", "--root", root, "oci-archive:" + zstd + ":z"));
    assertThat(tmp.resolve("root/var/lib/containers/atomic/hello.0/rootfs/hello/hello.sh")).exists();
  }

  @Test
  void zstdChunkedLayersCarryTheirTableSkopeoReadsThemAndARecompressionDropsIt() throws Exception {
    Map<String, String> expected = unpacked(layout, "1");
    Path chunked = tmp.resolve("chunked");
    ok(Launcher.run("copy", "-q", "--dest-compress-format", "zstd:chunked", "oci:" + layout + ":1",
        "oci:" + chunked + ":c"));
    JsonNode manifest = JSON.readTree(Exec.run(List.of(skopeo, "inspect", "--raw", "oci:" + chunked + ":c"))
        .stdout());
    for (JsonNode layer : manifest.path("layers")) {
      assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
      assertThat(layer.path("annotations").path("io.github.containers.zstd-chunked.manifest-checksum").asText())
          .startsWith("sha256:");
      assertThat(layer.path("annotations").path("io.github.containers.zstd-chunked.manifest-position").asText())
          .matches("\\d+:\\d+:\\d+:1");
      assertThat(layer.path("annotations").path("io.github.containers.zstd-chunked.tarsplit-position").asText())
          .matches("\\d+:\\d+:\\d+");
    }
    // skopeo 1.9.3 reads them as zstd (the skippable frames pass by): the same tree, by umoci (which reads no zstd)
    Path back = tmp.resolve("chunked-back");
    ok(Exec.run(List.of(skopeo, "copy", "--dest-compress-format", "gzip", "oci:" + chunked + ":c",
        "oci:" + back + ":b")));
    assertThat(unpacked(back, "b")).isEqualTo(expected);
    // a copy that keeps the format keeps the manifest; one to gzip drops the table's annotations, no longer true
    Exec.Result again = Launcher.run("copy", "--json", "--dest-compress-format", "zstd:chunked",
        "oci:" + chunked + ":c", "oci:" + tmp.resolve("again") + ":a");
    ok(again);
    assertThat(again.stdout()).contains("\"manifestKept\":true");
    Path gzip = tmp.resolve("gzip");
    ok(Launcher.run("copy", "-q", "--dest-compress-format", "gzip", "oci:" + chunked + ":c", "oci:" + gzip + ":g"));
    JsonNode gz = JSON.readTree(Exec.run(List.of(skopeo, "inspect", "--raw", "oci:" + gzip + ":g")).stdout());
    assertThat(gz.path("layers").findValues("annotations")).isEmpty();
    assertThat(unpacked(gzip, "g")).isEqualTo(expected);
    // and a host installs from it, reading the zstd stream whole
    String root = tmp.resolve("root-chunked").toString();
    ok(Launcher.run("install", "--system", "--name", "hello", "--root", root, "oci:" + chunked + ":c"));
    assertThat(tmp.resolve("root-chunked/var/lib/containers/atomic/hello.0/rootfs/hello/hello.sh")).exists();
  }

  @Test
  void whatSkopeoWritesWeCopyAndInstall() throws Exception {
    Map<String, String> expected = unpacked(layout, "1");
    Path skDocker = tmp.resolve("sk-docker.tar");
    ok(Exec.run(List.of(skopeo, "copy", "oci:" + layout + ":1", "docker-archive:" + skDocker + ":example.com/sk:2")));
    Path skDir = tmp.resolve("sk-dir");
    ok(Exec.run(List.of(skopeo, "copy", "oci:" + layout + ":1", "dir:" + skDir)));

    Path archive = tmp.resolve("ours.tar");
    ok(Launcher.run("copy", "-q", "docker-archive:" + skDocker, "oci-archive:" + archive + ":from-skopeo"));
    Path unpackable = tmp.resolve("unpackable");
    ok(Exec.run(List.of(skopeo, "copy", "oci-archive:" + archive + ":from-skopeo", "oci:" + unpackable + ":u")));
    assertThat(unpacked(unpackable, "u")).isEqualTo(expected);

    Exec.Result fromDir = Launcher.run("copy", "--json", "dir:" + skDir, "oci-archive:" + tmp.resolve("d.tar"));
    ok(fromDir);
    JsonNode summary = JSON.readTree(Launcher.lines(fromDir.stdout()).get(Launcher.lines(fromDir.stdout()).size() - 1));
    assertThat(summary.path("event").asText()).isEqualTo("copied");
    assertThat(summary.path("manifestKept").asBoolean()).isTrue();
    assertThat(summary.path("blobs")).hasSize(2);

    // and the archive we wrote installs, by the name copy gave it
    String root = tmp.resolve("root").toString();
    ok(Launcher.run("install", "--system", "--name", "hello", "--root", root, "oci-archive:" + archive));
    assertThat(Launcher.run("images", "list", "--root", root).stdout()).contains("from-skopeo");
  }

  @Test
  void registryToArchiveToAnotherRegistryKeepsTheManifestDigest() throws Exception {
    try (DockerRegistry first = DockerRegistry.start(tmp.resolve("reg1"));
        DockerRegistry second = DockerRegistry.start(tmp.resolve("reg2"))) {
      String pushed = "docker://" + first.address() + "/apps/hello:1";
      Exec.Result push = Launcher.run("copy", "--dest-tls-verify=false", "oci:" + layout + ":1", pushed);
      ok(push);
      assertThat(rawDigest(pushed, "--tls-verify=false")).isEqualTo(sourceDigest);

      // a second repository of the same registry: the blobs are mounted, none uploaded again
      Exec.Result mount = Launcher.run("copy", "--json", "--src-tls-verify=false", "--dest-tls-verify=false", pushed,
          "docker://" + first.address() + "/other/hello:2");
      ok(mount);
      JsonNode summary = JSON.readTree(Launcher.lines(mount.stdout()).get(Launcher.lines(mount.stdout()).size() - 1));
      assertThat(summary.path("blobs").findValuesAsText("action")).containsOnly("mounted");
      assertThat(first.log()).contains("mount=").doesNotContain("PATCH /v2/other/hello");

      Path archive = tmp.resolve("carried.tar");
      ok(Launcher.run("copy", "-q", "--src-tls-verify=false", pushed, "oci-archive:" + archive));
      String carried = "docker://" + second.address() + "/carried/hello:1";
      ok(Launcher.run("copy", "-q", "--dest-tls-verify=false", "oci-archive:" + archive, carried));
      assertThat(rawDigest(carried, "--tls-verify=false")).isEqualTo(sourceDigest);

      // skopeo pulls it back identical, and a chunked push of a recompressed image reads back too
      Path pulled = tmp.resolve("pulled");
      ok(Exec.run(List.of(skopeo, "copy", "--src-tls-verify=false", carried, "oci:" + pulled + ":p")));
      assertThat(unpacked(pulled, "p")).isEqualTo(unpacked(layout, "1"));
      Path docker = tmp.resolve("docker.tar");
      ok(Launcher.run("copy", "-q", "oci:" + layout + ":1", "docker-archive:" + docker));
      String chunked = "docker://" + second.address() + "/chunked/hello:1";
      ok(Launcher.run("copy", "-q", "--dest-tls-verify=false", "--dest-chunk-size", "4K", "docker-archive:" + docker,
          chunked));
      assertThat(second.log()).contains("PATCH /v2/chunked/hello/blobs/uploads/");
      Path pulled2 = tmp.resolve("pulled2");
      ok(Exec.run(List.of(skopeo, "copy", "--src-tls-verify=false", chunked, "oci:" + pulled2 + ":p")));
      assertThat(unpacked(pulled2, "p")).isEqualTo(unpacked(layout, "1"));
    }
  }

  @Test
  void allCopiesAnIndexWithEveryImageItNamesDigestsKept() throws Exception {
    try (DockerRegistry first = DockerRegistry.start(tmp.resolve("reg1"));
        DockerRegistry second = DockerRegistry.start(tmp.resolve("reg2"))) {
      java.util.Map<String, TestImage> images = new java.util.LinkedHashMap<>();
      images.put("linux/amd64", TestImage.builder().layer(io.github.syscontainers.fixtures.LayerBuilder.layer()
          .file("arch", "amd64\n", 0644)).architecture("amd64").build());
      images.put("linux/arm64/v8", TestImage.builder().layer(io.github.syscontainers.fixtures.LayerBuilder.layer()
          .file("arch", "arm64\n", 0644)).architecture("arm64").build());
      byte[] index = new io.github.syscontainers.fixtures.RegistryPusher(first.address()).pushIndex("multi/app", "1",
          images);
      String indexDigest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(index));
      String src = "docker://" + first.address() + "/multi/app:1";

      // registry -> oci-archive -> another registry, every image and the index, the index digest kept throughout
      Path archive = tmp.resolve("multi.tar");
      Exec.Result toArchive = Launcher.run("copy", "--json", "--all", "--src-tls-verify=false", src,
          "oci-archive:" + archive + ":multi");
      ok(toArchive);
      assertThat(rawDigest("oci-archive:" + archive + ":multi")).isEqualTo(indexDigest);
      String carried = "docker://" + second.address() + "/multi/app:1";
      ok(Launcher.run("copy", "-q", "--multi-arch", "all", "--dest-tls-verify=false", "oci-archive:" + archive
          + ":multi", carried));
      assertThat(rawDigest(carried, "--tls-verify=false")).isEqualTo(indexDigest);
      // skopeo takes the whole index from there, and each platform's image is there
      Path pulled = tmp.resolve("multi-pulled");
      ok(Exec.run(List.of(skopeo, "copy", "--all", "--src-tls-verify=false", carried, "oci:" + pulled + ":m")));
      for (TestImage image : images.values()) {
        assertThat(pulled.resolve("blobs/sha256/" + image.manifest().digest().substring(7))).exists();
      }
      // without --all, the host's platform only, as skopeo copies it
      Exec.Result one = Launcher.run("copy", "--json", "--src-tls-verify=false", src, "oci:" + tmp.resolve("one")
          + ":1");
      ok(one);
      String host = System.getProperty("os.arch").equals("aarch64") ? "linux/arm64/v8" : "linux/amd64";
      assertThat(one.stdout()).contains(images.get(host).manifest().digest());

      Exec.Result docker = Launcher.run("copy", "--all", "--src-tls-verify=false", src, "docker-archive:"
          + tmp.resolve("multi-docker.tar"));
      assertThat(docker.exitCode()).isNotZero();
      assertThat(Launcher.lines(docker.stderr())).singleElement().asString().contains("cannot hold an index");
      assertThat(tmp.resolve("multi-docker.tar")).doesNotExist();
    }
  }

  @Test
  void badDestinationsAndHostileArchivesGetOneLineErrors() throws Exception {
    Exec.Result noDir = Launcher.run("copy", "oci:" + layout + ":1", "oci-archive:" + tmp.resolve("none/x.tar"));
    assertThat(noDir.exitCode()).isNotZero();
    assertThat(Launcher.lines(noDir.stderr())).singleElement().asString().contains("does not exist");

    Exec.Result badTag = Launcher.run("copy", "oci:" + layout + ":1", "docker-archive:" + tmp.resolve("d.tar")
        + ":Bad/Name:1");
    assertThat(badTag.exitCode()).isNotZero();
    assertThat(Launcher.lines(badTag.stderr())).singleElement().asString().contains("Invalid docker-archive tag");
    assertThat(tmp.resolve("d.tar")).doesNotExist();

    Exec.Result brotli = Launcher.run("copy", "--dest-compress-format", "brotli", "oci:" + layout + ":1",
        "oci:" + tmp.resolve("z"));
    assertThat(brotli.exitCode()).isNotZero();
    assertThat(Launcher.lines(brotli.stderr())).singleElement().asString().contains("not one of gzip, zstd");

    // an index that names a blob the layout lacks: nothing written under the destination's name
    Path broken = tmp.resolve("broken");
    ok(Exec.run(List.of("cp", "-a", layout.toString(), broken.toString())));
    String layerDigest = JSON.readTree(Files.readAllBytes(broken.resolve("blobs/sha256/" + sourceDigest.substring(7))))
        .path("layers").get(0).path("digest").asText();
    Files.delete(broken.resolve("blobs/sha256/" + layerDigest.substring(7)));
    Path out = tmp.resolve("out.tar");
    Exec.Result missing = Launcher.run("copy", "oci:" + broken + ":1", "oci-archive:" + out);
    assertThat(missing.exitCode()).isNotZero();
    assertThat(Launcher.lines(missing.stderr())).singleElement().asString().contains("missing").contains(layerDigest);
    assertThat(out).doesNotExist();
    assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));

    // a docker-archive naming one layer twice with different content
    Path twice = tmp.resolve("twice.tar");
    Path work = tmp.resolve("twice");
    Files.createDirectories(work);
    Files.writeString(work.resolve("manifest.json"), "[]");
    Files.writeString(work.resolve("layer.tar"), "one");
    ok(Exec.run(List.of("tar", "-cf", twice.toString(), "-C", work.toString(), "manifest.json", "layer.tar")));
    Files.writeString(work.resolve("layer.tar"), "two");
    ok(Exec.run(List.of("tar", "-rf", twice.toString(), "-C", work.toString(), "layer.tar")));
    Exec.Result dup = Launcher.run("copy", "docker-archive:" + twice, "oci:" + tmp.resolve("dup"));
    assertThat(dup.exitCode()).isNotZero();
    assertThat(Launcher.lines(dup.stderr())).singleElement().asString().contains("layer.tar twice");

    // RepoTags that are no references: refused, as containers/image refuses them, rather than stored as names
    Path badTags = tmp.resolve("bad-tags.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeDockerArchive(badTags, List.of("Bad Ref!!:1"));
    Exec.Result invalid = Launcher.run("copy", "docker-archive:" + badTags, "oci:" + tmp.resolve("bad-out"));
    assertThat(invalid.exitCode()).isNotZero();
    assertThat(Launcher.lines(invalid.stderr())).singleElement().asString().contains("Invalid tag 'Bad Ref!!:1'");
    Exec.Result pullInvalid = Launcher.run("pull", "--root", tmp.resolve("bad-root").toString(),
        "docker-archive:" + badTags);
    assertThat(pullInvalid.exitCode()).isNotZero();

    Exec.Result help = Launcher.run("copy", "--help");
    ok(help);
    assertThat(help.stdout()).contains("--dest-tls-verify").contains("--additional-tag").contains("dir:DIR");
  }
}
