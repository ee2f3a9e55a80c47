package io.github.syscontainers.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.model.Digest;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The payload of a "simple signing" signature (containers-signature(5)): the manifest digest and the Docker
 * reference it vouches for, read as strictly as containers/image reads it (exact fields in {@code critical}, the
 * type {@code atomic container signature}; unknown {@code optional} fields ignored).
 *
 * @param manifestDigest {@code critical.image.docker-manifest-digest}
 * @param dockerReference {@code critical.identity.docker-reference}
 * @param creator {@code optional.creator}
 * @param timestamp {@code optional.timestamp}, seconds since the epoch
 */
record SimpleSignature(Digest manifestDigest, String dockerReference, Optional<String> creator, Optional<Long> timestamp) {
  static final String TYPE = "atomic container signature";
  /** The type of the payload of a sigstore (cosign) signature, otherwise the same format. */
  static final String SIGSTORE_TYPE = "cosign container image signature";
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** The payload skopeo's {@code standalone-sign} writes, byte for byte in its field order. */
  static byte[] encode(Digest manifestDigest, String dockerReference, String creator, long timestamp) {
    return encode(manifestDigest, dockerReference, creator, timestamp, TYPE);
  }

  /** The payload of a cosign signature: the same fields, with cosign's type. */
  static byte[] encodeSigstore(Digest manifestDigest, String dockerReference, String creator, long timestamp) {
    return encode(manifestDigest, dockerReference, creator, timestamp, SIGSTORE_TYPE);
  }

  private static byte[] encode(Digest manifestDigest, String dockerReference, String creator, long timestamp,
      String type) {
    com.fasterxml.jackson.databind.node.ObjectNode root = JSON.createObjectNode();
    com.fasterxml.jackson.databind.node.ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
    critical.put("type", type);
    root.putObject("optional").put("creator", creator).put("timestamp", timestamp);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a payload; the message of a failure says what is wrong with it. */
  static SimpleSignature parse(byte[] payload) throws TrustException {
    return parse(payload, TYPE);
  }

  /** Parses the payload of a sigstore signature. */
  static SimpleSignature parseSigstore(byte[] payload) throws TrustException {
    return parse(payload, SIGSTORE_TYPE);
  }

  private static SimpleSignature parse(byte[] payload, String type) throws TrustException {
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (java.io.IOException e) {
      throw new TrustException("the signed payload is not valid JSON");
    }
    exact(root, "the payload", Set.of("critical", "optional"));
    JsonNode critical = root.get("critical");
    exact(critical, "critical", Set.of("type", "image", "identity"));
    if (!critical.get("type").isTextual() || !type.equals(critical.get("type").asText())) {
      throw new TrustException("the signature has type " + critical.get("type") + ", not \"" + type + "\"");
    }
    exact(critical.get("image"), "critical.image", Set.of("docker-manifest-digest"));
    exact(critical.get("identity"), "critical.identity", Set.of("docker-reference"));
    JsonNode d = critical.get("image").get("docker-manifest-digest");
    JsonNode r = critical.get("identity").get("docker-reference");
    if (!d.isTextual() || !r.isTextual()) {
      throw new TrustException("the signature's digest and reference must be strings");
    }
    Digest digest = Digest.tryParse(d.asText())
        .orElseThrow(() -> new TrustException("the signature's docker-manifest-digest \"" + d.asText() + "\" is no digest"));
    JsonNode optional = root.get("optional");
    if (optional.isNull()) {
      optional = JSON.createObjectNode();
    }
    if (!optional.isObject()) {
      throw new TrustException("the signature's optional part is not an object");
    }
    Optional<String> creator = Optional.ofNullable(optional.get("creator")).filter(JsonNode::isTextual).map(JsonNode::asText);
    Optional<Long> timestamp = Optional.empty();
    JsonNode ts = optional.get("timestamp");
    if (ts != null) {
      if (!ts.isNumber() || ts.asDouble() != Math.rint(ts.asDouble())) {
        throw new TrustException("the signature's optional.timestamp is not an integer");
      }
      timestamp = Optional.of(ts.asLong());
    }
    return new SimpleSignature(digest, r.asText(), creator, timestamp);
  }

  private static void exact(JsonNode node, String where, Set<String> fields) throws TrustException {
    if (node == null || !node.isObject()) {
      throw new TrustException("the signature's " + where + " is not a JSON object");
    }
    int n = 0;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); n++) {
      String f = it.next();
      if (!fields.contains(f)) {
        throw new TrustException("the signature's " + where + " has an unknown field \"" + f + "\"");
      }
    }
    if (n != fields.size()) {
      throw new TrustException("the signature's " + where + " lacks one of " + fields);
    }
  }
}
