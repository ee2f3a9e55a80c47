package io.github.syscontainers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  @ParameterizedTest
  @CsvSource({
    "busybox, docker.io/library/busybox:latest",
    "busybox:1.2, docker.io/library/busybox:1.2",
    "gscrivano/etcd, docker.io/gscrivano/etcd:latest",
    "docker.io/busybox, docker.io/library/busybox:latest",
    "index.docker.io/a/b:c, docker.io/a/b:c",
    "quay.io/foo, quay.io/foo:latest",
    "localhost/x, localhost/x:latest",
    "localhost:5000/foo/bar:tag, localhost:5000/foo/bar:tag",
    "127.0.0.1:5000/hello:1, 127.0.0.1:5000/hello:1",
    "Registry-1.Example.COM:443/a/b, Registry-1.Example.COM:443/a/b:latest",
  })
  void normalisesAsDocker(String input, String expected) {
    assertThat(ImageReference.parse(input).toString()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "UPPER/case", "a//b", "x:", "x@sha256:abc", "x@sha256:../../etc/passwd", "a b",
      // hosts outside the distribution grammar (an empty component, one starting or ending with "-"); the first was
      // accepted until HostConfigFuzzTest made a search registry of it
      "UPPER../name", "a..example/x", ".example.com/x", "-a.example/x", "a-.example:5000/x"})
  void rejectsInvalid(String input) {
    assertThatThrownBy(() -> ImageReference.parse(input)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256:../../x", "md5:abc", "sha256:ABC", "sha256:" + "a"})
  void digestsAreValidatedBeforeUse(String d) {
    assertThatThrownBy(() -> Digest.parse(d)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(d);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "a/../b", "a/..", "x\0y"})
  void imagePathsRefuseEscapes(String p) {
    assertThatThrownBy(() -> ImagePath.of(p)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"/a/b, /a/b", "./a//b/, /a/b", "a/./b, /a/b", "/, /"})
  void imagePathsNormalise(String input, String expected) {
    assertThat(ImagePath.of(input).toString()).isEqualTo(expected);
  }
}
