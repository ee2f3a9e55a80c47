package io.github.syscontainers.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads containers-policy.json(5) as strictly as containers/image does: an unknown or duplicated field, a requirement
 * type or identity rule it does not know, a missing {@code default}, an empty list of requirements, a key given in
 * none or several ways, or a path scope that is not an absolute clean path is an error naming the file and the
 * place, never a reason to accept.
 *
 * <p>Thread-safe.
 */
final class PolicyParser {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> PATH_TRANSPORTS = Set.of("oci", "oci-archive", "dir", "sif");
  private static final Set<String> KEY_TYPES = Set.of("GPGKeys", "signedByGPGKeys", "X509Certificates", "signedByX509CAs");

  private final String source;

  private PolicyParser(String source) {
    this.source = source;
  }

  /**
   * Parses a policy.
   *
   * @param source names the file in messages
   */
  static Policy parse(byte[] text, String source) throws TrustException {
    return new PolicyParser(source).policy(text);
  }

  private Policy policy(byte[] text) throws TrustException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw invalid("it is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw invalid(e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("it is not a JSON object");
    }
    fields(root, "the top level", Set.of("default", "transports"));
    if (!root.has("default")) {
      throw invalid("it has no \"default\" list of requirements, which containers-policy.json(5) makes mandatory");
    }
    List<Requirement> defaults = requirements(root.get("default"), "\"default\"");
    Map<String, Map<String, List<Requirement>>> transports = new LinkedHashMap<>();
    JsonNode t = root.get("transports");
    if (t != null && !t.isNull()) {
      object(t, "\"transports\"");
      for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String transport = e.getKey();
        object(e.getValue(), "transport \"" + transport + "\"");
        Map<String, List<Requirement>> scopes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> s = e.getValue().fields(); s.hasNext(); ) {
          Map.Entry<String, JsonNode> scope = s.next();
          validateScope(transport, scope.getKey());
          scopes.put(scope.getKey(),
              requirements(scope.getValue(), "scope \"" + scope.getKey() + "\" of transport \"" + transport + "\""));
        }
        transports.put(transport, scopes);
      }
    }
    return new Policy(source, defaults, transports);
  }

  private void validateScope(String transport, String scope) throws TrustException {
    if (scope.isEmpty() || !PATH_TRANSPORTS.contains(transport)) {
      return;
    }
    Path p = Path.of(scope);
    if (!p.isAbsolute() || !p.normalize().toString().equals(scope) || scope.equals("/")) {
      throw invalid("the scope \"" + scope + "\" of transport \"" + transport + "\" is not an absolute, clean path other"
          + " than / (use \"\" for the transport's default)");
    }
  }

  private List<Requirement> requirements(JsonNode node, String where) throws TrustException {
    if (node == null || !node.isArray()) {
      throw invalid(where + " is not a list of requirements");
    }
    if (node.isEmpty()) {
      throw invalid(where + " is an empty list of requirements; use [{\"type\": \"insecureAcceptAnything\"}] to accept"
          + " anything");
    }
    List<Requirement> out = new ArrayList<>();
    for (JsonNode r : node) {
      out.add(requirement(r, where));
    }
    return out;
  }

  private Requirement requirement(JsonNode r, String where) throws TrustException {
    object(r, "a requirement of " + where);
    String type = text(r, "type", "a requirement of " + where);
    String in = "the " + type + " requirement of " + where;
    switch (type) {
      case "insecureAcceptAnything":
        fields(r, in, Set.of("type"));
        return new Requirement.InsecureAcceptAnything();
      case "reject":
        fields(r, in, Set.of("type"));
        return new Requirement.Reject();
      case "signedBaseLayer":
        fields(r, in, Set.of("type", "baseLayerIdentity"));
        return new Requirement.SignedBaseLayer();
      case "signedBy":
        return signedBy(r, in);
      case "sigstoreSigned":
        return sigstoreSigned(r, in);
      default:
        throw invalid(where + " has a requirement of unknown type \"" + type + "\"; known: insecureAcceptAnything,"
            + " reject, signedBy, sigstoreSigned, signedBaseLayer");
    }
  }

  private Requirement signedBy(JsonNode r, String in) throws TrustException {
    fields(r, in, Set.of("type", "keyType", "keyPath", "keyPaths", "keyData", "signedIdentity"));
    String keyType = text(r, "keyType", in);
    if (!KEY_TYPES.contains(keyType)) {
      throw invalid(in + " has an unknown keyType \"" + keyType + "\"; use GPGKeys");
    }
    Requirement.Keys keys = keys(r, in, "keyPath", "keyPaths", "keyData", null)
        .orElseThrow(() -> invalid(in + " names no keys; give exactly one of keyPath, keyPaths and keyData"));
    return new Requirement.SignedBy(keyType, keys, identity(r.get("signedIdentity"), in));
  }

  private Requirement sigstoreSigned(JsonNode r, String in) throws TrustException {
    fields(r, in, Set.of("type", "keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki", "rekorPublicKeyPath",
        "rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas", "signedIdentity"));
    Optional<Requirement.Keys> keys = keys(r, in, "keyPath", "keyPaths", "keyData", "keyDatas");
    int forms = (keys.isPresent() ? 1 : 0) + (r.has("fulcio") ? 1 : 0) + (r.has("pki") ? 1 : 0);
    if (forms != 1) {
      throw invalid(in + " must have exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki");
    }
    Optional<String> keyless = r.has("fulcio") ? Optional.of("fulcio") : r.has("pki") ? Optional.of("pki")
        : Optional.empty();
    Optional<Requirement.Fulcio> fulcio = Optional.empty();
    if (r.has("fulcio")) {
      JsonNode f = r.get("fulcio");
      String where = "fulcio of " + in;
      object(f, where);
      fields(f, where, Set.of("caPath", "caData", "oidcIssuer", "subjectEmail"));
      Requirement.Keys ca = keys(f, where, "caPath", null, "caData", null)
          .orElseThrow(() -> invalid(where + " names no CA; give caPath or caData"));
      String issuer = text(f, "oidcIssuer", where);
      String email = text(f, "subjectEmail", where);
      if (issuer.isEmpty() || email.isEmpty()) {
        throw invalid(where + " needs a non-empty oidcIssuer and subjectEmail");
      }
      fulcio = Optional.of(new Requirement.Fulcio(ca, issuer, email));
    }
    if (r.has("pki")) {
      object(r.get("pki"), "pki of " + in);
      fields(r.get("pki"), "pki of " + in, Set.of("caRootsPath", "caRootsData", "caIntermediatesPath",
          "caIntermediatesData", "subjectHostname", "subjectEmail"));
    }
    Optional<Requirement.Keys> rekor = keys(r, in, "rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData",
        "rekorPublicKeyDatas");
    if (r.has("fulcio") && rekor.isEmpty()) {
      throw invalid(in + " uses fulcio without a Rekor public key (rekorPublicKeyPath or rekorPublicKeyData), which"
          + " containers-policy.json(5) requires");
    }
    if (r.has("pki") && rekor.isPresent()) {
      throw invalid(in + " uses pki with a Rekor public key; pki takes none");
    }
    return new Requirement.SigstoreSigned(keys, keyless, fulcio, rekor, identity(r.get("signedIdentity"), in));
  }

  /** Exactly one of the key fields, or none (empty); several is an error. */
  private Optional<Requirement.Keys> keys(JsonNode r, String in, String path, String paths, String data, String datas)
      throws TrustException {
    List<String> given = new ArrayList<>();
    for (String f : new String[] {path, paths, data, datas}) {
      if (f != null && r.has(f)) {
        given.add(f);
      }
    }
    if (given.isEmpty()) {
      return Optional.empty();
    }
    if (given.size() > 1) {
      throw invalid(in + " gives its keys in several ways (" + String.join(", ", given) + "); give exactly one");
    }
    String f = given.get(0);
    if (f.equals(path)) {
      return Optional.of(new Requirement.Keys(List.of(text(r, path, in)), Optional.empty()));
    }
    if (f.equals(paths)) {
      JsonNode list = r.get(paths);
      if (!list.isArray() || list.isEmpty()) {
        throw invalid(in + ": " + paths + " must be a non-empty list of paths");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode p : list) {
        if (!p.isTextual()) {
          throw invalid(in + ": " + paths + " must be a list of strings");
        }
        out.add(p.asText());
      }
      return Optional.of(new Requirement.Keys(out, Optional.empty()));
    }
    List<String> encoded = new ArrayList<>();
    if (f.equals(data)) {
      encoded.add(text(r, data, in));
    } else {
      JsonNode list = r.get(datas);
      if (!list.isArray() || list.isEmpty()) {
        throw invalid(in + ": " + datas + " must be a non-empty list");
      }
      for (JsonNode d : list) {
        encoded.add(d.asText());
      }
    }
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (String e : encoded) {
      try {
        all.writeBytes(Base64.getDecoder().decode(e));
      } catch (IllegalArgumentException ex) {
        throw invalid(in + ": " + f + " is not valid base64");
      }
    }
    return Optional.of(new Requirement.Keys(List.of(), Optional.of(all.toByteArray())));
  }

  private SignedIdentity identity(JsonNode node, String in) throws TrustException {
    if (node == null || node.isNull()) {
      return SignedIdentity.DEFAULT;
    }
    String where = "the signedIdentity of " + in;
    object(node, where);
    String type = text(node, "type", where);
    switch (type) {
      case "matchExact":
        fields(node, where, Set.of("type"));
        return new SignedIdentity.MatchExact();
      case "matchRepoDigestOrExact":
        fields(node, where, Set.of("type"));
        return new SignedIdentity.MatchRepoDigestOrExact();
      case "matchRepository":
        fields(node, where, Set.of("type"));
        return new SignedIdentity.MatchRepository();
      case "exactReference": {
        fields(node, where, Set.of("type", "dockerReference"));
        String ref = text(node, "dockerReference", where);
        Optional<DockerName> parsed = DockerName.parse(ref);
        if (parsed.isEmpty() || parsed.get().nameOnly()) {
          throw invalid(where + ": dockerReference \"" + ref + "\" is not a reference with a tag or digest");
        }
        return new SignedIdentity.ExactReference(ref);
      }
      case "exactRepository": {
        fields(node, where, Set.of("type", "dockerRepository"));
        String repo = text(node, "dockerRepository", where);
        if (DockerName.parse(repo).isEmpty()) {
          throw invalid(where + ": dockerRepository \"" + repo + "\" is not a repository name");
        }
        return new SignedIdentity.ExactRepository(repo);
      }
      case "remapIdentity": {
        fields(node, where, Set.of("type", "prefix", "signedPrefix"));
        String prefix = text(node, "prefix", where);
        String signedPrefix = text(node, "signedPrefix", where);
        validatePrefix(prefix, where);
        validatePrefix(signedPrefix, where);
        return new SignedIdentity.RemapIdentity(prefix, signedPrefix);
      }
      default:
        throw invalid(where + " has an unknown type \"" + type + "\"; known: matchExact, matchRepoDigestOrExact,"
            + " matchRepository, exactReference, exactRepository, remapIdentity");
    }
  }

  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*";
  private static final java.util.regex.Pattern PREFIX_DOMAIN = java.util.regex.Pattern.compile(DOMAIN);
  private static final java.util.regex.Pattern PREFIX_NAME =
      java.util.regex.Pattern.compile(DOMAIN + "(?:/" + PATH_COMPONENT + ")+");

  /**
   * A remapping prefix, as containers/image takes it: a host[:port], or a repository or namespace that starts with
   * one ({@code docker.io/library}); tags and digests are no part of a prefix.
   */
  private void validatePrefix(String prefix, String where) throws TrustException {
    if (!PREFIX_DOMAIN.matcher(prefix).matches() && !PREFIX_NAME.matcher(prefix).matches()) {
      throw invalid(where + ": \"" + prefix + "\" is neither a host[:port] nor a repository namespace in the fully"
          + " expanded form (docker.io/library, not library/)");
    }
  }

  private void fields(JsonNode node, String where, Set<String> allowed) throws TrustException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw invalid(where + " has an unknown field \"" + f + "\"");
      }
    }
  }

  private void object(JsonNode node, String where) throws TrustException {
    if (node == null || !node.isObject()) {
      throw invalid(where + " is not a JSON object");
    }
  }

  private String text(JsonNode node, String field, String where) throws TrustException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid(where + " needs \"" + field + "\" as a string");
    }
    return v.asText();
  }

  private TrustException invalid(String why) {
    return new TrustException("Invalid signature policy " + source + ": " + why + "; fix it (containers-policy.json(5))"
        + " or choose another with --signature-policy");
  }
}
