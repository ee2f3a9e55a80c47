package io.github.syscontainers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceReferenceTest {
  @Test
  void parsesEveryTransport() {
    assertThat(SourceReference.parse("docker://127.0.0.1:5000/a/b:1"))
        .isInstanceOfSatisfying(SourceReference.Registry.class, r -> {
          assertThat(r.reference().toString()).isEqualTo("127.0.0.1:5000/a/b:1");
          assertThat(r.insecure()).isFalse();
        });
    assertThat(SourceReference.parse("http:localhost:5000/x"))
        .isInstanceOfSatisfying(SourceReference.Registry.class, r -> assertThat(r.insecure()).isTrue());
    assertThat(SourceReference.parse("oci-archive:/tmp/a.tar:v1"))
        .isEqualTo(new SourceReference.OciArchive(Path.of("/tmp/a.tar"), Optional.of("v1")));
    assertThat(SourceReference.parse("oci-archive:/tmp/a.tar"))
        .isEqualTo(new SourceReference.OciArchive(Path.of("/tmp/a.tar"), Optional.empty()));
    assertThat(SourceReference.parse("oci:/tmp/layout"))
        .isEqualTo(new SourceReference.OciLayout(Path.of("/tmp/layout"), Optional.empty()));
    assertThat(SourceReference.parse("dockertar://abs/x.tar"))
        .isEqualTo(new SourceReference.DockerArchive(Path.of("/abs/x.tar"), Optional.empty()));
    assertThat(SourceReference.parse("busybox")).isInstanceOf(SourceReference.Registry.class);
  }

  @Test
  void badInputNamesTheFormsAccepted() {
    assertThatThrownBy(() -> SourceReference.parse("docker://UPPER"))
        .hasMessageContaining("docker://UPPER")
        .hasMessageContaining("oci-archive:FILE");
    assertThatThrownBy(() -> SourceReference.parse("oci-archive:")).hasMessageContaining("path is missing");
  }

  @Test
  void namesImagesFromArchives() {
    assertThat(LayoutIndex.imageName(Path.of("/x/hello.tar"), Optional.of("latest"))).isEqualTo("hello:latest");
    assertThat(LayoutIndex.imageName(Path.of("/x/hello.oci.tar"), Optional.empty())).isEqualTo("hello:latest");
    assertThat(LayoutIndex.imageName(Path.of("/x/a.tar"), Optional.of("example.com/app:1"))).isEqualTo("example.com/app:1");
    assertThat(LayoutIndex.imageName(Path.of("/x/a.tar"), Optional.of("example.com/app"))).isEqualTo("example.com/app:latest");
  }

  /** text() writes each reference as containers-transports(5) do, paths absolute; parsing it gives it back. */
  @Test
  void writesEveryTransportBack() {
    String cwd = Path.of("").toAbsolutePath().toString();
    for (String[] c : new String[][] {
        {"docker://127.0.0.1:5000/a/b:1", "docker://127.0.0.1:5000/a/b:1"},
        {"oci:/tmp/layout:v1", "oci:/tmp/layout:v1"},
        {"oci-archive:rel.tar", "oci-archive:" + cwd + "/rel.tar"},
        {"docker-archive:/tmp/x.tar", "docker-archive:/tmp/x.tar"},
        {"dir:/tmp/d", "dir:/tmp/d"}}) {
      SourceReference ref = SourceReference.parse(c[0]);
      assertThat(ref.text()).as(c[0]).isEqualTo(c[1]);
      assertThat(SourceReference.parse(ref.text())).as(c[0]).isEqualTo(SourceReference.parse(c[1]));
    }
  }
}
