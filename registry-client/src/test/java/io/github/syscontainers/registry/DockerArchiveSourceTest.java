package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Platform;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveSourceTest {
  @TempDir Path tmp;

  static TestImage image(String label) {
    return TestImage.builder()
        .layer(LayerBuilder.layer().file("a", "x", 0644))
        .layer(LayerBuilder.layer().file("b", label, 0600))
        .label("k", label)
        .build();
  }

  private static ResolvedImage resolve(String source) throws Exception {
    try (ImageSource src = ImageSource.open(SourceReference.parse(source), SourceOptions.DEFAULT)) {
      return src.resolve(Platform.parse("linux/amd64"));
    }
  }

  @Test
  void readsLayersThroughTheLegacyLinksAndVerifiesThemAgainstTheDiffIds() throws Exception {
    TestImage img = image("one");
    Path archive = tmp.resolve("img.tar");
    img.writeDockerArchive(archive, List.of("example.com/app:1"));
    try (ImageSource src = ImageSource.open(SourceReference.parse("docker-archive:" + archive), SourceOptions.DEFAULT)) {
      ResolvedImage r = src.resolve(Platform.parse("linux/amd64"));
      assertThat(src.imageName()).isEqualTo("example.com/app:1");
      assertThat(r.config().labels()).containsEntry("k", "one");
      assertThat(r.manifest().config().digest().toString()).isEqualTo(img.config().digest());
      assertThat(r.manifest().layers()).hasSize(2);
      for (int i = 0; i < 2; i++) {
        // an uncompressed layer's digest is its DiffID
        assertThat(r.manifest().layers().get(i).digest()).isEqualTo(r.config().diffIds().get(i));
        assertThat(r.manifest().layers().get(i).mediaType()).isEqualTo(DockerArchiveSource.DOCKER_LAYER);
        try (InputStream in = src.openBlob(r.manifest().layers().get(i))) {
          assertThat(LayerBuilder.sha256(in.readAllBytes())).isEqualTo(r.config().diffIds().get(i).toString());
        }
      }
    }
  }

  @Test
  void choosesAnImageByTagOrPositionAndNamesTheChoicesWhenAmbiguous() throws Exception {
    Path archive = tmp.resolve("two.tar");
    TestImage.writeDockerArchive(
        archive, List.of(image("one"), image("two")), List.of(List.of("example.com/app:1"), List.of("busybox:latest")));
    assertThat(resolve("docker-archive:" + archive + ":example.com/app:1").config().labels()).containsEntry("k", "one");
    // Docker Hub names match in their short and their long form
    assertThat(resolve("docker-archive:" + archive + ":docker.io/library/busybox").config().labels())
        .containsEntry("k", "two");
    assertThat(resolve("docker-archive:" + archive + ":@1").config().labels()).containsEntry("k", "two");
    assertThatThrownBy(() -> resolve("docker-archive:" + archive))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("holds 2 images")
        .hasMessageContaining("example.com/app:1")
        .hasMessageContaining(":@N");
    assertThatThrownBy(() -> resolve("docker-archive:" + archive + ":@2")).hasMessageContaining("not one of @0 to @1");
    assertThatThrownBy(() -> resolve("docker-archive:" + archive + ":nope:1"))
        .hasMessageContaining("No image named 'nope:1'")
        .hasMessageContaining("busybox:latest");
  }

  @Test
  void aLayerThatDoesNotMatchItsDiffIdFailsWhileStreaming() throws Exception {
    TestImage img = image("one");
    TestImage other = image("other");
    // manifest.json names another image's layer where this image's DiffIDs say otherwise
    Path bad = tmp.resolve("bad.tar");
    String manifest =
        "[{\"Config\":\"" + img.config().digest().substring(7) + ".json\",\"RepoTags\":[\"a:1\"],\"Layers\":[\""
            + LayerBuilder.sha256(gunzip(other.layers().get(1).data())).substring(7) + ".tar\",\""
            + LayerBuilder.sha256(gunzip(other.layers().get(1).data())).substring(7) + ".tar\"]}]";
    writeTar(
        bad,
        Map.of(
            "manifest.json", manifest.getBytes(StandardCharsets.UTF_8),
            img.config().digest().substring(7) + ".json", img.config().data(),
            LayerBuilder.sha256(gunzip(other.layers().get(1).data())).substring(7) + ".tar",
                gunzip(other.layers().get(1).data())));
    try (ImageSource src = ImageSource.open(SourceReference.parse("docker-archive:" + bad), SourceOptions.DEFAULT)) {
      ResolvedImage r = src.resolve(Platform.parse("linux/amd64"));
      assertThatThrownBy(() -> {
            try (InputStream in = src.openBlob(r.manifest().layers().get(0))) {
              in.readAllBytes();
            }
          })
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("does not match its digest");
    }
  }

  /** Docker 25 writes an OCI layout and a manifest.json that names the blobs under blobs/sha256/. */
  @Test
  void readsTheDocker25FormWhoseManifestNamesOciBlobs() throws Exception {
    TestImage img = image("one");
    byte[] tar0 = gunzip(img.layers().get(0).data());
    byte[] tar1 = gunzip(img.layers().get(1).data());
    String c = "blobs/sha256/" + img.config().digest().substring(7);
    String l0 = "blobs/sha256/" + LayerBuilder.sha256(tar0).substring(7);
    String l1 = "blobs/sha256/" + LayerBuilder.sha256(tar1).substring(7);
    String manifest =
        "[{\"Config\":\"" + c + "\",\"RepoTags\":[\"app:2\"],\"Layers\":[\"" + l0 + "\",\"" + l1 + "\"]}]";
    Path archive = tmp.resolve("d25.tar");
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    entries.put(c, img.config().data());
    entries.put(l0, tar0);
    entries.put(l1, tar1);
    entries.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
    writeTar(archive, entries);
    try (ImageSource src = ImageSource.open(SourceReference.parse("docker-archive:" + archive), SourceOptions.DEFAULT)) {
      ResolvedImage r = src.resolve(Platform.parse("linux/amd64"));
      assertThat(src.imageName()).isEqualTo("app:2");
      try (InputStream in = src.openBlob(r.manifest().layers().get(1))) {
        assertThat(in.readAllBytes()).isEqualTo(tar1);
      }
    }
  }

  /** E13: names in manifest.json are looked up inside the tar, never on the host. */
  @Test
  void e13ManifestNamesNeverReachTheHostFilesystem() throws Exception {
    Path victim = tmp.resolve("passwd");
    Files.writeString(victim, "{\"rootfs\":{\"diff_ids\":[]}}");
    Path archive = tmp.resolve("evil.tar");
    writeTar(
        archive,
        Map.of(
            "manifest.json",
            ("[{\"Config\":\"../../../../" + victim + "\",\"RepoTags\":[\"a:1\"],\"Layers\":[\"/etc/shadow\"]}]")
                .getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> resolve("docker-archive:" + archive))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("has no entry");
    writeTar(
        archive,
        Map.of(
            "manifest.json",
            ("[{\"Config\":\"" + victim + "\",\"RepoTags\":[\"a:1\"],\"Layers\":[\"/etc/shadow\"]}]")
                .getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> resolve("docker-archive:" + archive))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("has no entry " + victim.toString().substring(1));
  }

  @Test
  void linksLeavingTheArchiveAndWrongTransportsAreRefusedClearly() throws Exception {
    TestImage img = image("one");
    Path oci = tmp.resolve("oci.tar");
    img.writeOciArchive(oci, "1");
    assertThatThrownBy(() -> resolve("docker-archive:" + oci)).hasMessageContaining("use oci-archive:");
    Path docker = tmp.resolve("docker.tar");
    img.writeDockerArchive(docker, List.of("a:1"));
    assertThatThrownBy(() -> resolve("oci-archive:" + docker)).hasMessageContaining("use docker-archive:");

    Path archive = tmp.resolve("escape.tar");
    try (OutputStream os = Files.newOutputStream(archive);
        TarArchiveOutputStream out = new TarArchiveOutputStream(os, StandardCharsets.UTF_8.name())) {
      byte[] m = "[{\"Config\":\"c.json\",\"RepoTags\":[\"a:1\"],\"Layers\":[]}]".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("manifest.json");
      e.setSize(m.length);
      out.putArchiveEntry(e);
      out.write(m);
      out.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("c.json", TarConstants.LF_SYMLINK);
      link.setLinkName("../../../etc/passwd");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
      out.finish();
    }
    assertThatThrownBy(() -> resolve("docker-archive:" + archive)).hasMessageContaining("outside the archive");
    Path missing = tmp.resolve("missing.tar");
    assertThatThrownBy(() -> resolve("docker-archive:" + missing)).hasMessageContaining("no such file");
  }

  static byte[] gunzip(byte[] gz) throws Exception {
    try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  static void writeTar(Path file, Map<String, byte[]> entries) throws Exception {
    try (OutputStream os = Files.newOutputStream(file);
        TarArchiveOutputStream out = new TarArchiveOutputStream(os, StandardCharsets.UTF_8.name())) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry t = new TarArchiveEntry(e.getKey(), true);
        t.setSize(e.getValue().length);
        out.putArchiveEntry(t);
        out.write(e.getValue());
        out.closeArchiveEntry();
      }
      out.finish();
    }
  }
}
