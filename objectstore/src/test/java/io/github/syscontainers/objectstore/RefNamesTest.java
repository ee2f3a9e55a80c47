package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The test vectors of skopeo's ostree_transport_test.go and atomic's table (§4.2). */
class RefNamesTest {
  @ParameterizedTest
  @CsvSource({
    "busybox:notlatest, busybox_3Anotlatest",
    "busybox:latest, busybox_3Alatest",
    "docker.io/library/busybox:latest, docker.io_2Flibrary_2Fbusybox_3Alatest",
    "127.0.0.1:5000/busybox:latest, 127.0.0.1_3A5000_2Fbusybox_3Alatest",
    "registry.fedoraproject.org/f27/etcd:v3, registry.fedoraproject.org_2Ff27_2Fetcd_3Av3",
    "a_b:1, a_5Fb_3A1"
  })
  void encodesAsSkopeoDid(String name, String encoded) {
    assertThat(RefNames.encode(name)).isEqualTo(encoded);
    assertThat(RefNames.decode(encoded)).isEqualTo(name);
  }
}
