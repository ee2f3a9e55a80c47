package io.github.syscontainers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.OstreeRepository;
import io.github.syscontainers.objectstore.RepoMode;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.RegistriesConf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 27, item 1: the order in which a typed name is looked up in the store, and what is refused. */
class LocalImagesTest {
  @TempDir Path tmp;
  private ImageStore store;

  @BeforeEach
  void openStore() throws Exception {
    store = new ImageStore(OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER), Clock.systemUTC());
  }

  private String put(String name, String manifestText) throws Exception {
    byte[] manifest = manifestText.getBytes(StandardCharsets.UTF_8);
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
    store.storeImage(name, manifest, Digest.parse("sha256:" + hex));
    return hex;
  }

  private Optional<String> find(RegistriesConf conf, String text) throws Exception {
    return new LocalImages(store, conf).find(text).image().map(StoredImage::name);
  }

  private RegistriesConf conf(String toml) throws Exception {
    Path root = tmp.resolve("host");
    Files.createDirectories(root.resolve("etc/containers"));
    Files.writeString(root.resolve("etc/containers/registries.conf"), toml);
    return RegistriesConf.load(root, Map.of());
  }

  @Test
  void shortNamesFindLocalhostDockerHubAndSearchRegistryForms() throws Exception {
    put("docker.io/library/busybox:latest", "{\"a\":1}");
    put("localhost/app:1", "{\"a\":2}");
    put("quay.io/team/tool:latest", "{\"a\":3}");
    put("docker.io/team/web:latest", "{\"a\":4}");
    RegistriesConf search = conf("unqualified-search-registries = [\"quay.io\"]\n");

    assertThat(find(RegistriesConf.EMPTY, "busybox")).contains("docker.io/library/busybox:latest");
    assertThat(find(RegistriesConf.EMPTY, "docker.io/busybox")).contains("docker.io/library/busybox:latest");
    assertThat(find(RegistriesConf.EMPTY, "app:1")).contains("localhost/app:1");
    assertThat(find(RegistriesConf.EMPTY, "app")).isEmpty();
    assertThat(find(RegistriesConf.EMPTY, "team/web")).contains("docker.io/team/web:latest");
    assertThat(find(RegistriesConf.EMPTY, "team/tool")).isEmpty();
    assertThat(find(search, "team/tool")).contains("quay.io/team/tool:latest");
    assertThat(find(conf("[aliases]\n\"tl\" = \"quay.io/team/tool\"\n"), "tl")).contains("quay.io/team/tool:latest");
  }

  @Test
  void anExactNameWinsAndTwoOtherMatchesAreRefused() throws Exception {
    put("docker.io/library/hello:latest", "{\"a\":1}");
    put("localhost/hello:latest", "{\"a\":2}");
    assertThatThrownBy(() -> find(RegistriesConf.EMPTY, "hello"))
        .isInstanceOf(LifecycleException.class)
        .hasMessageContaining("docker.io/library/hello:latest")
        .hasMessageContaining("localhost/hello:latest");
    put("hello:latest", "{\"a\":3}"); // atomic's ref for the exact name
    assertThat(find(RegistriesConf.EMPTY, "hello")).contains("hello:latest");
  }

  @Test
  void anImageIdPrefixIsTheLastResortAndMustBeUnique() throws Exception {
    String id = put("docker.io/library/one:latest", "{\"a\":1}");
    assertThat(find(RegistriesConf.EMPTY, id.substring(0, 12))).contains("docker.io/library/one:latest");
    // a second manifest whose digest starts with the same three hex digits, found by trying
    String text = null;
    for (int i = 0; text == null; i++) {
      String t = "{\"b\":" + i + "}";
      String hex = HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(t.getBytes(StandardCharsets.UTF_8)));
      if (hex.startsWith(id.substring(0, 3))) {
        text = t;
      }
    }
    put("docker.io/library/two:latest", text);
    assertThatThrownBy(() -> find(RegistriesConf.EMPTY, id.substring(0, 3)))
        .hasMessageContaining("more images matching prefix")
        .hasMessageContaining("docker.io/library/one:latest")
        .hasMessageContaining("docker.io/library/two:latest");
    LocalImages.Lookup none = new LocalImages(store, RegistriesConf.EMPTY).find("nothere");
    assertThat(none.image()).isEmpty();
    assertThat(none.lookedFor())
        .containsExactly("nothere:latest", "localhost/nothere:latest", "docker.io/library/nothere:latest");
  }
}
