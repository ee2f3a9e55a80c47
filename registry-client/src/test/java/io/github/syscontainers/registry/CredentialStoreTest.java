package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.model.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  @TempDir Path tmp;

  static String auth(String creds) {
    return Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, String> env() {
    return Map.of("HOME", tmp.resolve("home").toString(), "XDG_RUNTIME_DIR", tmp.resolve("run").toString(),
        "PATH", tmp.resolve("bin").toString());
  }

  private static ImageReference ref(String s) {
    return ImageReference.parse(s);
  }

  @Test
  void theMostSpecificAuthsKeyWinsAndDockerHubKeepsItsLegacyKey() throws Exception {
    Path file = tmp.resolve("auth.json");
    Files.writeString(file, "{\"auths\":{"
        + "\"example.com\":{\"auth\":\"" + auth("host:1") + "\"},"
        + "\"example.com/team\":{\"auth\":\"" + auth("team:2") + "\"},"
        + "\"example.com/team/app\":{\"auth\":\"" + auth("app:3") + "\"},"
        + "\"https://other.example\":{\"auth\":\"" + auth("other:4") + "\"},"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hub:5") + "\"}}}");
    CredentialStore store = new CredentialStore(Optional.of(file), env());
    assertThat(store.lookup(ref("example.com/team/app:1"))).contains("app:3");
    assertThat(store.lookup(ref("example.com/team/db:1"))).contains("team:2");
    assertThat(store.lookup(ref("example.com/solo:1"))).contains("host:1");
    assertThat(store.lookup(ref("other.example/x"))).contains("other:4");
    assertThat(store.lookup(ref("busybox"))).contains("hub:5");
    assertThat(store.lookup(ref("unknown.example/x"))).isEmpty();
  }

  @Test
  void theDefaultFilesAreSearchedInContainersOrder() throws Exception {
    Path docker = tmp.resolve("home/.docker/config.json");
    Files.createDirectories(docker.getParent());
    Files.writeString(docker, "{\"auths\":{\"example.com\":{\"auth\":\"" + auth("docker:1") + "\"},"
        + "\"only.docker\":{\"auth\":\"" + auth("docker:2") + "\"}}}");
    Path runtime = tmp.resolve("run/containers/auth.json");
    Files.createDirectories(runtime.getParent());
    Files.writeString(runtime, "{\"auths\":{\"example.com\":{\"auth\":\"" + auth("podman:1") + "\"}}}");
    CredentialStore store = new CredentialStore(Optional.empty(), env());
    assertThat(store.lookup(ref("example.com/a"))).contains("podman:1");
    assertThat(store.lookup(ref("only.docker/a"))).contains("docker:2");
    assertThat(store.files().get(0)).isEqualTo(runtime);
  }

  @Test
  void credentialHelpersAreAskedWithTheHostOnStdin() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-test");
    Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread server\n"
        + "case \"$server\" in example.com) echo '{\"ServerURL\":\"example.com\",\"Username\":\"helper\",\"Secret\":\"s3\"}';;\n"
        + " *) echo 'credentials not found in native keychain'; exit 1;; esac\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = tmp.resolve("auth.json");
    Files.writeString(file, "{\"credHelpers\":{\"example.com\":\"test\"},\"credsStore\":\"test\"}");
    CredentialStore store = new CredentialStore(Optional.of(file), env());
    assertThat(store.lookup(ref("example.com/a"))).contains("helper:s3");
    assertThat(store.lookup(ref("elsewhere.example/a"))).isEmpty();
    Files.writeString(file, "{\"credHelpers\":{\"example.com\":\"missing\"}}");
    assertThatThrownBy(() -> store.lookup(ref("example.com/a")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("docker-credential-missing")
        .hasMessageContaining("not on the PATH");
  }

  @Test
  void badFilesGetAMessageThatSaysWhatToDo() throws Exception {
    assertThatThrownBy(() -> new CredentialStore(Optional.of(tmp.resolve("nope.json")), env()).lookup(ref("a.example/x")))
        .hasMessageContaining("does not exist; check the path given with --authfile");
    Path file = tmp.resolve("auth.json");
    Files.writeString(file, "{not json");
    assertThatThrownBy(() -> new CredentialStore(Optional.of(file), env()).lookup(ref("a.example/x")))
        .hasMessageContaining("Cannot read the auth file").hasMessageContaining("fix its JSON");
    Files.writeString(file, "{\"auths\":{\"a.example\":{\"auth\":\"%%%\"}}}");
    assertThatThrownBy(() -> new CredentialStore(Optional.of(file), env()).lookup(ref("a.example/x")))
        .hasMessageContaining("is not base64");
    Files.writeString(file, "{\"auths\":{\"a.example\":{\"auth\":\"" + auth("nocolon") + "\"}}}");
    assertThatThrownBy(() -> new CredentialStore(Optional.of(file), env()).lookup(ref("a.example/x")))
        .hasMessageContaining("is not USER:PASSWORD");
  }
}
