package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.model.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesConfTest {
  @TempDir Path tmp;

  private RegistriesConf conf(String toml) throws Exception {
    Path f = tmp.resolve("registries.conf");
    Files.writeString(f, toml);
    return RegistriesConf.parse(List.of(f));
  }

  private static List<String> endpoints(RegistriesConf c, String ref) throws Exception {
    return c.endpoints(ImageReference.parse(ref), false).stream()
        .map(e -> e.reference() + (e.mirror() ? " mirror" : "") + (e.insecure() ? " insecure" : ""))
        .toList();
  }

  @Test
  void mirrorsComeFirstInOrderThenTheRewrittenLocation() throws Exception {
    RegistriesConf c = conf(String.join("\n",
        "unqualified-search-registries = [\"registry.example\"]",
        "[[registry]]",
        "prefix = \"example.com/team\"",
        "location = \"internal.example/mirror/team\"",
        "[[registry.mirror]]",
        "location = \"m1.example/team\"",
        "insecure = true",
        "[[registry.mirror]]",
        "location = \"m2.example/team\"",
        "pull-from-mirror = \"digest-only\"",
        "[[registry]]",
        "location = \"example.com\"",
        "insecure = true"));
    assertThat(endpoints(c, "example.com/team/app:1")).containsExactly(
        "m1.example/team/app:1 mirror insecure", "internal.example/mirror/team/app:1");
    String digest = "sha256:" + "a".repeat(64);
    assertThat(endpoints(c, "example.com/team/app@" + digest)).containsExactly(
        "m1.example/team/app@" + digest + " mirror insecure", "m2.example/team/app@" + digest + " mirror",
        "internal.example/mirror/team/app@" + digest);
    // the longest prefix wins; a shorter one still matches elsewhere
    assertThat(endpoints(c, "example.com/other:2")).containsExactly("example.com/other:2 insecure");
    assertThat(endpoints(c, "unrelated.example/x:1")).containsExactly("unrelated.example/x:1");
    // a prefix matches whole components only
    assertThat(endpoints(c, "example.com/teamwork:1")).containsExactly("example.com/teamwork:1 insecure");
  }

  @Test
  void blockedRegistriesWildcardsAndDockerHub() throws Exception {
    RegistriesConf c = conf(String.join("\n",
        "[[registry]]",
        "prefix = \"*.evil.example\"",
        "blocked = true",
        "[[registry]]",
        "location = \"docker.io\"",
        "[[registry.mirror]]",
        "location = \"hub-mirror.example\""));
    assertThatThrownBy(() -> endpoints(c, "cdn.evil.example/x:1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("blocked by the entry for *.evil.example")
        .hasMessageContaining("remove blocked = true");
    assertThat(endpoints(c, "busybox")).containsExactly(
        "hub-mirror.example/library/busybox:latest mirror", "docker.io/library/busybox:latest");
  }

  @Test
  void theVersion1TablesOfAtomicHostsAreRead() throws Exception {
    RegistriesConf c = conf(String.join("\n",
        "[registries.search]",
        "registries = ['registry.access.redhat.com']",
        "[registries.insecure]",
        "registries = ['127.0.0.1:5000']",
        "[registries.block]",
        "registries = ['blocked.example']"));
    assertThat(endpoints(c, "127.0.0.1:5000/x:1")).containsExactly("127.0.0.1:5000/x:1 insecure");
    assertThatThrownBy(() -> endpoints(c, "blocked.example/x")).hasMessageContaining("blocked");
    assertThat(c.shortName("rhel7/etcd")).containsExactly(ImageReference.parse("registry.access.redhat.com/rhel7/etcd"));
  }

  /**
   * Found by HostConfigFuzzTest (its input crash-7272765911e2d879a2cc8272c016191b43691bda): an alias whose value was
   * no reference made the first short name asked throw IllegalArgumentException, a stack trace instead of an error.
   * Aliases and search registries are now checked as the file is read, as containers/image checks them.
   */
  @Test
  void aliasesAndSearchRegistriesThatAreNoReferencesAreRefusedWhenTheFileIsRead() throws Exception {
    for (String alias : new String[] {"\"\"", "\"busybox\"", "\"docker.io/library/busybox:1\"",
        "\"quay.io/a@sha256:" + "0".repeat(64) + "\"", "\"quay.io/UPPER\"", "{ x = 1 }"}) {
      assertThatThrownBy(() -> conf("[aliases]\n\"tool\" = " + alias))
          .as(alias).isInstanceOf(RegistryException.class)
          .hasMessageContaining("The alias 'tool' in ")
          .hasMessageContaining("not a repository with its registry and without tag or digest");
    }
    for (String registry : new String[] {"", "a.example/ns", "UPPER..", "a.example@x"}) {
      assertThatThrownBy(() -> conf("unqualified-search-registries = [\"" + registry + "\"]"))
          .as(registry).isInstanceOf(RegistryException.class)
          .hasMessageContaining("name '" + registry + "', which is not a registry host");
    }
    // and locations (crash-f632778aa0e4bb148c4bde1e0cc573269a9b32f1: a mirror's port "50B00" broke endpoints())
    for (String location : new String[] {"127.0.0.1:50B00", "mirror.example.com/ns:tag", "m.example@sha256:0", "A..b"}) {
      assertThatThrownBy(() -> conf("[[registry]]\nlocation = \"" + location + "\""))
          .as(location).isInstanceOf(RegistryException.class)
          .hasMessageContaining("is '" + location + "', which is not a registry host with an optional namespace");
      assertThatThrownBy(() -> conf("[[registry]]\nprefix = \"docker.io\"\n[[registry.mirror]]\nlocation = \""
          + location + "\"")).as(location).isInstanceOf(RegistryException.class)
          .hasMessageContaining("The location of a mirror of docker.io in ");
    }
    RegistriesConf c = conf("unqualified-search-registries = [\"a.example\"]\n[aliases]\n\"t\" = \"quay.io/team/t\"");
    assertThatThrownBy(() -> c.shortName("t:@@")).isInstanceOf(RegistryException.class)
        .hasMessageContaining("'t:@@' is not an image name");
    assertThatThrownBy(() -> c.shortName("Bad Name")).isInstanceOf(RegistryException.class)
        .hasMessageContaining("'Bad Name' is not an image name");
  }

  @Test
  void shortNamesGoThroughAliasesThenTheSearchListAndEnforcingRefusesAmbiguity() throws Exception {
    RegistriesConf c = conf(String.join("\n",
        "unqualified-search-registries = [\"a.example\", \"b.example\"]",
        "[aliases]",
        "\"etcd\" = \"quay.io/coreos/etcd\""));
    assertThat(c.shortName("etcd:v3")).containsExactly(ImageReference.parse("quay.io/coreos/etcd:v3"));
    assertThatThrownBy(() -> c.shortName("app:1"))
        .hasMessageContaining("could come from any of a.example, b.example")
        .hasMessageContaining("a.example/app:1");
    RegistriesConf permissive = conf("unqualified-search-registries = [\"a.example\", \"b.example\"]\nshort-name-mode = \"permissive\"");
    assertThat(permissive.shortName("app:1"))
        .containsExactly(ImageReference.parse("a.example/app:1"), ImageReference.parse("b.example/app:1"));
    assertThat(RegistriesConf.EMPTY.shortName("busybox")).isEmpty();
    assertThat(RegistryEndpoints.isShortName("busybox:1")).isTrue();
    assertThat(RegistryEndpoints.isShortName("team/app")).isTrue();
    assertThat(RegistryEndpoints.isShortName("localhost/app")).isFalse();
    assertThat(RegistryEndpoints.isShortName("127.0.0.1:5000/app")).isFalse();
  }

  @Test
  void dropInsOverrideByPrefixAndBadFilesSayWhatIsWrong() throws Exception {
    Path etc = Files.createDirectories(tmp.resolve("root/etc/containers/registries.conf.d"));
    Files.writeString(etc.getParent().resolve("registries.conf"), "[[registry]]\nlocation = \"example.com\"\ninsecure = true\n");
    Files.writeString(etc.resolve("50-block.conf"), "[[registry]]\nlocation = \"example.com\"\nblocked = true\n");
    RegistriesConf c = RegistriesConf.load(tmp.resolve("root"), Map.of());
    assertThatThrownBy(() -> endpoints(c, "example.com/x")).hasMessageContaining("blocked");
    assertThat(RegistriesConf.load(tmp.resolve("nowhere"), Map.of()).shortName("x")).isEmpty();
    assertThatThrownBy(() -> conf("[[registry]]\nlocation = ")).hasMessageContaining("fix its TOML");
    assertThatThrownBy(() -> conf("[[registry]]\ninsecure = true")).hasMessageContaining("neither prefix nor location");
    assertThatThrownBy(() -> conf("[[registry]]\nlocation = \"a.example\"\n[[registry.mirror]]\nlocation = \"m\"\npull-from-mirror = \"sometimes\""))
        .hasMessageContaining("use all, digest-only or tag-only");
  }
}
