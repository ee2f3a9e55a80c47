package io.github.syscontainers.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The identity rules of containers-policy.json(5), as containers/image's policy_reference_match.go decides them. */
class SignedIdentityTest {
  private static SignedIdentity rule(String spec) {
    String[] p = spec.split(" ");
    switch (p[0]) {
      case "matchExact":
        return new SignedIdentity.MatchExact();
      case "matchRepoDigestOrExact":
        return new SignedIdentity.MatchRepoDigestOrExact();
      case "matchRepository":
        return new SignedIdentity.MatchRepository();
      case "exactReference":
        return new SignedIdentity.ExactReference(p[1]);
      case "exactRepository":
        return new SignedIdentity.ExactRepository(p[1]);
      default:
        return new SignedIdentity.RemapIdentity(p[1], p[2]);
    }
  }

  @ParameterizedTest(name = "{0}: image {1}, signed {2} -> {3}")
  @CsvSource({
    "matchExact, example.com/a/b:1, example.com/a/b:1, true",
    "matchExact, example.com/a/b:1, example.com/a/b:2, false",
    "matchExact, example.com/a/b:1, example.com/a/b, false",
    "matchExact, docker.io/library/busybox:1, busybox:1, true",
    "matchExact, example.com/a/b@sha256:0000000000000000000000000000000000000000000000000000000000000001, example.com/a/b:1, false",
    "matchRepoDigestOrExact, example.com/a/b:1, example.com/a/b:1, true",
    "matchRepoDigestOrExact, example.com/a/b:1, example.com/a/b:2, false",
    "matchRepoDigestOrExact, example.com/a/b@sha256:0000000000000000000000000000000000000000000000000000000000000001, example.com/a/b:7, true",
    "matchRepoDigestOrExact, example.com/a/b@sha256:0000000000000000000000000000000000000000000000000000000000000001, example.com/a/c:7, false",
    "matchRepoDigestOrExact, example.com/a/b:1, example.com/a/b, false",
    "matchRepository, example.com/a/b:1, example.com/a/b:2, true",
    "matchRepository, example.com/a/b:1, example.com/a/b, true",
    "matchRepository, example.com/a/b:1, example.com/a/c:1, false",
    "matchRepository, example.com/a/b:1, other.com/a/b:1, false",
    "exactReference docker.io/library/busybox:1, example.com/a/b:9, busybox:1, true",
    "exactReference docker.io/library/busybox:1, example.com/a/b:9, busybox:2, false",
    "exactRepository docker.io/library/busybox, example.com/a/b:9, busybox:2, true",
    "exactRepository docker.io/library/busybox, example.com/a/b:9, docker.io/library/other:2, false",
    "remapIdentity mirror.local/dh docker.io, mirror.local/dh/library/busybox:1, docker.io/library/busybox:1, true",
    "remapIdentity mirror.local/dh docker.io, mirror.local/dh/library/busybox:1, docker.io/library/busybox:2, false",
    "remapIdentity mirror.local/dh docker.io, mirror.local/dhx/busybox:1, docker.io/x/busybox:1, false",
    "remapIdentity mirror.local/dh docker.io, other.local/x/y:1, other.local/x/y:1, true",
    "matchExact, example.com/a/b:1, not a reference, false",
  })
  void rules(String rule, String image, String signed, boolean expected) {
    assertThat(rule(rule).matches(DockerName.parse(image), signed)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"matchExact", "matchRepoDigestOrExact", "matchRepository"})
  void rulesOnTheImagesReferenceNeedOne(String rule) {
    assertThat(rule(rule).matches(Optional.empty(), "example.com/a/b:1")).isFalse();
  }
}
