package io.github.syscontainers.registry;

import io.github.syscontainers.model.TransferEvent;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciArchiveSourceTest {
  @TempDir Path tmp;

  static TestImage image() {
    return TestImage.builder().layer(LayerBuilder.layer().file("a", "x", 0644)).label("k", "v").build();
  }

  @Test
  void readsAnImageInPlaceWithVerifiedBlobs() throws Exception {
    TestImage img = image();
    Path archive = tmp.resolve("img.tar");
    img.writeOciArchive(archive, "v1");
    try (ImageSource src = ImageSource.open(SourceReference.parse("oci-archive:" + archive), SourceOptions.DEFAULT)) {
      ResolvedImage r = src.resolve(Platform.parse("linux/amd64"));
      assertThat(r.manifestDigest().toString()).isEqualTo(img.manifest().digest());
      assertThat(r.config().labels()).containsEntry("k", "v");
      assertThat(src.imageName()).isEqualTo("img:v1");
      try (InputStream in = src.openBlob(r.manifest().layers().get(0))) {
        assertThat(in.readAllBytes()).isEqualTo(img.layers().get(0).data());
      }
    }
    Path layout = tmp.resolve("layout");
    img.writeOciLayout(layout, "v1");
    try (ImageSource src = ImageSource.open(SourceReference.parse("oci:" + layout + ":v1"), SourceOptions.DEFAULT)) {
      assertThat(src.resolve(Platform.parse("linux/amd64")).manifestDigest().toString()).isEqualTo(img.manifest().digest());
      assertThatThrownBy(() -> ImageSource.open(SourceReference.parse("oci:" + layout + ":nope"), SourceOptions.DEFAULT)
              .resolve(Platform.host()))
          .hasMessageContaining("No image named 'nope'")
          .hasMessageContaining("v1");
    }
  }

  @Test
  void theListenerHearsOfEachOpeningBeforeTheSourceIsRead() throws Exception {
    List<SourceReference> opened = new CopyOnWriteArrayList<>();
    TransferListener listener =
        new TransferListener() {
          @Override
          public void on(TransferEvent event) {}

          @Override
          public void opening(SourceReference ref) {
            opened.add(ref);
          }
        };
    SourceOptions options = SourceOptions.DEFAULT.withListener(listener);
    Path archive = tmp.resolve("img.tar");
    image().writeOciArchive(archive, "v1");
    SourceReference ref = SourceReference.parse("oci-archive:" + archive);
    try (ImageSource src = ImageSource.open(ref, options)) {
      assertThat(opened).containsExactly(ref);
    }
    // before the file is touched: told even when it is not there
    SourceReference missing = SourceReference.parse("oci-archive:" + tmp.resolve("none.tar"));
    assertThatThrownBy(() -> ImageSource.open(missing, options)).isInstanceOf(RegistryException.class);
    assertThat(opened).containsExactly(ref, missing);
  }

  @Test
  void aSingleManifestIsTakenWithoutPlatformSelection() throws Exception {
    Path archive = tmp.resolve("img.tar");
    image().writeOciArchive(archive, null);
    try (ImageSource src = ImageSource.open(SourceReference.parse("oci-archive:" + archive), SourceOptions.DEFAULT)) {
      // a single manifest (not an index) is taken as it is; the platform check of the config is issue 4's
      assertThat(src.resolve(Platform.parse("linux/s390x")).manifest().layers()).hasSize(1);
    }
  }

  /** E12: an archive entry with ".." or a symlink standing in for a blob is never followed to the host. */
  @Test
  void e12HostileArchiveEntriesAreNotFollowed() throws Exception {
    TestImage img = image();
    Path victim = tmp.resolve("victim.txt");
    Files.writeString(victim, "secret");
    Path archive = tmp.resolve("evil.tar");
    try (OutputStream os = Files.newOutputStream(archive);
        TarArchiveOutputStream out = new TarArchiveOutputStream(os, StandardCharsets.UTF_8.name())) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      put(out, "../../../ESCAPED-ociarchive.txt", "x".getBytes());
      put(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
      TestImage.Blob m = img.manifest();
      String index =
          "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + m.mediaType() + "\",\"digest\":\"" + m.digest()
              + "\",\"size\":" + m.data().length + "}]}";
      put(out, "index.json", index.getBytes());
      put(out, "blobs/sha256/" + m.digest().substring(7), m.data());
      TarArchiveEntry link = new TarArchiveEntry("blobs/sha256/" + img.config().digest().substring(7), TarConstants.LF_SYMLINK);
      link.setLinkName(victim.toString());
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
      out.finish();
    }
    try (ImageSource src = ImageSource.open(SourceReference.parse("oci-archive:" + archive), SourceOptions.DEFAULT)) {
      assertThatThrownBy(() -> src.resolve(Platform.host()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("which is not an entry of the archive; refusing it");
    }
    assertThat(tmp.getParent().resolve("ESCAPED-ociarchive.txt")).doesNotExist();
  }

  private static void put(TarArchiveOutputStream out, String name, byte[] data) throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    out.putArchiveEntry(e);
    out.write(data);
    out.closeArchiveEntry();
  }

  @Test
  void blobsAreVerifiedWhileStreaming() throws Exception {
    TestImage img = image();
    Path layout = tmp.resolve("layout");
    img.writeOciLayout(layout, "v1");
    TestImage.Blob layer = img.layers().get(0);
    Path blob = layout.resolve("blobs/sha256/" + layer.digest().substring(7));
    byte[] bad = layer.data().clone();
    bad[bad.length / 2] ^= 1;
    Files.write(blob, bad);
    try (ImageSource src = ImageSource.open(SourceReference.parse("oci:" + layout), SourceOptions.DEFAULT)) {
      ResolvedImage r = src.resolve(Platform.host());
      assertThatThrownBy(() -> {
            try (InputStream in = src.openBlob(r.manifest().layers().get(0))) {
              in.readAllBytes();
            }
          })
          .hasMessageContaining("does not match its digest");
      Files.write(blob, java.util.Arrays.copyOf(layer.data(), layer.data().length - 3));
      assertThatThrownBy(() -> {
            try (InputStream in = src.openBlob(r.manifest().layers().get(0))) {
              in.readAllBytes();
            }
          })
          .hasMessageContaining("truncated");
    }
  }
}
