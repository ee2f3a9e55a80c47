package io.github.syscontainers.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.model.ImageReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** containers-policy.json(5), parsed as strictly as containers/image parses it, and its scopes looked up. */
class PolicyParserTest {
  static Policy parse(String json) throws TrustException {
    return PolicyParser.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "policy.json");
  }

  static final String FULL =
      "{'default': [{'type': 'reject'}], 'transports': {"
          + "'docker': {"
          + "  'registry.example.com/ns/app:1': [{'type': 'insecureAcceptAnything'}],"
          + "  'registry.example.com/ns/app': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/k.gpg'}],"
          + "  'registry.example.com/ns': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPaths': ['/a', '/b'],"
          + "     'signedIdentity': {'type': 'matchRepository'}}],"
          + "  'registry.example.com': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyData': 'AAEC',"
          + "     'signedIdentity': {'type': 'remapIdentity', 'prefix': 'registry.example.com',"
          + "       'signedPrefix': 'docker.io/library'}}],"
          + "  '*.example.org': [{'type': 'sigstoreSigned', 'keyPath': '/cosign.pub',"
          + "     'signedIdentity': {'type': 'exactRepository', 'dockerRepository': 'example.org/x'}}],"
          + "  '': [{'type': 'insecureAcceptAnything'}]},"
          + "'atomic': {'': [{'type': 'reject'}]},"
          + "'oci-archive': {'/srv/images': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/k.gpg',"
          + "     'signedIdentity': {'type': 'exactReference', 'dockerReference': 'docker.io/library/busybox:1'}}]},"
          + "'someday-transport': {'x': [{'type': 'reject'}]}}}";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "registry.example.com/ns/app:1|scope docker:registry.example.com/ns/app:1|insecureAcceptAnything",
    "registry.example.com/ns/app:2|scope docker:registry.example.com/ns/app|signedBy (GPGKeys, /k.gpg, matchRepoDigestOrExact)",
    "registry.example.com/ns/other:2|scope docker:registry.example.com/ns|signedBy (GPGKeys, /a, /b, matchRepository)",
    "registry.example.com/else:2|scope docker:registry.example.com|signedBy (GPGKeys, keyData, remapIdentity registry.example.com -> docker.io/library)",
    "quay.sub.example.org/x:1|scope docker:*.example.org|sigstoreSigned (/cosign.pub, exactRepository example.org/x)",
    "docker.io/library/busybox:latest|the default of transport docker|insecureAcceptAnything",
  })
  void theMostSpecificScopeWins(String ref, String scope, String requirement) throws Exception {
    Policy.Scoped s = parse(FULL).requirementsFor(ImageIdentity.docker(ImageReference.parse(ref)));
    assertThat(s.scope()).isEqualTo(scope);
    assertThat(s.requirements()).singleElement().extracting(Requirement::describe).isEqualTo(requirement);
  }

  @Test
  void dockerNamespacesAreContainersImages() {
    assertThat(ImageIdentity.dockerNamespaces("registry.example.com:5000/a/b"))
        .containsExactly("registry.example.com:5000/a/b", "registry.example.com:5000/a", "registry.example.com:5000",
            "*.example.com", "*.com");
  }

  @Test
  void pathScopesAndTheGlobalDefault() throws Exception {
    Policy p = parse(FULL);
    var file = new io.github.syscontainers.registry.SourceReference.OciArchive(
        java.nio.file.Path.of("/srv/images/app/a.tar"), java.util.Optional.empty());
    assertThat(p.requirementsFor(ImageIdentity.of(file)).scope()).isEqualTo("scope oci-archive:/srv/images");
    var other = new io.github.syscontainers.registry.SourceReference.OciArchive(
        java.nio.file.Path.of("/tmp/a.tar"), java.util.Optional.empty());
    assertThat(p.requirementsFor(ImageIdentity.of(other)).scope()).isEqualTo("the global default");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{}| has no \"default\" list",
    "{'default': []}| is an empty list of requirements",
    "{'default': [{'type': 'insecureAcceptAnything'}], 'extra': 1}| the top level has an unknown field \"extra\"",
    "{'default': [{'type': 'insecureAcceptAnything', 'x': 1}]}| has an unknown field \"x\"",
    "{'default': [{'type': 'acceptEverything'}]}| a requirement of unknown type \"acceptEverything\"",
    "{'default': [{'type': 'signedBy', 'keyType': 'GPGKeys'}]}| names no keys",
    "{'default': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/a', 'keyData': 'AA=='}]}| gives its keys in several ways",
    "{'default': [{'type': 'signedBy', 'keyType': 'PGP', 'keyPath': '/a'}]}| an unknown keyType \"PGP\"",
    "{'default': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyData': '@@@'}]}| keyData is not valid base64",
    "{'default': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPaths': []}]}| keyPaths must be a non-empty list",
    "{'default': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/a', 'signedIdentity': {'type': 'matchSomething'}}]}| has an unknown type \"matchSomething\"",
    "{'default': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/a', 'signedIdentity': {'type': 'exactReference', 'dockerReference': 'busybox'}}]}| is not a reference with a tag or digest",
    "{'default': [{'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/a', 'signedIdentity': {'type': 'remapIdentity', 'prefix': 'library/', 'signedPrefix': 'docker.io/library'}}]}| is neither a host[:port] nor a repository namespace",
    "{'default': [{'type': 'sigstoreSigned', 'keyPath': '/a', 'fulcio': {}}]}| must have exactly one of keyPath",
    "{'default': [{'type': 'reject'}], 'transports': {'oci': {'relative/dir': [{'type': 'reject'}]}}}| is not an absolute, clean path",
    "{'default': [{'type': 'reject'}], 'transports': {'dir': {'/': [{'type': 'reject'}]}}}| is not an absolute, clean path",
    "{'default': [{'type': 'reject'}], 'default': [{'type': 'reject'}]}| not valid JSON",
    "[1]| it is not a JSON object",
  })
  void malformedPoliciesAreErrorsNeverAcceptance(String json, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(TrustException.class)
        .hasMessageStartingWith("Invalid signature policy policy.json: ")
        .hasMessageContaining(message.replace('\'', '"'));
  }

  @Test
  void noPolicyAcceptsAndSaysSo() {
    Policy p = Policy.acceptAnything("(none)");
    assertThat(p.requirementsFor(ImageIdentity.docker(ImageReference.parse("x.example/y:1"))).requirements())
        .isEqualTo(List.of(new Requirement.InsecureAcceptAnything()));
  }
}
