package io.github.syscontainers.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Rekor "signed entry timestamp" (SET), as cosign puts it in the {@code dev.sigstore.cosign/bundle} annotation and
 * containers/image checks it: the log's ECDSA signature over the RFC 8785 canonical JSON of the entry's
 * {@code body}, {@code integratedTime}, {@code logID} and {@code logIndex}, where the body is a {@code hashedrekord}
 * 0.0.1 entry naming the signature, the key or certificate that made it, and the SHA-256 of the signed payload.
 * Verified offline against the Rekor public keys of the policy; the result is the time the log recorded the entry.
 *
 * <p>Stateless and thread-safe.
 */
final class RekorSet {
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final int MAX_SET = 1 << 20;

  private RekorSet() {}

  /**
   * Verifies {@code setJson} for a signature {@code base64Signature} of {@code payload} made with the key or
   * certificate whose DER is {@code keyOrCertDer}.
   *
   * @return the time the log integrated the entry
   * @throws TrustException naming what does not match
   */
  static Instant verify(List<PublicKey> rekorKeys, byte[] setJson, byte[] keyOrCertDer, String base64Signature,
      byte[] payload) throws TrustException {
    if (setJson.length > MAX_SET) {
      throw new TrustException("its Rekor SET is over 1 MiB");
    }
    JsonNode set = parse(setJson, "its Rekor SET");
    exact(set, "its Rekor SET", Set.of("SignedEntryTimestamp", "Payload"));
    JsonNode p = set.get("Payload");
    exact(p, "its Rekor SET payload", Set.of("body", "integratedTime", "logIndex", "logID"));
    if (!p.get("body").isTextual() || !p.get("logID").isTextual() || !p.get("integratedTime").isIntegralNumber()
        || !p.get("logIndex").isIntegralNumber() || !set.get("SignedEntryTimestamp").isTextual()) {
      throw new TrustException("its Rekor SET has fields of the wrong types");
    }
    byte[] canonical = canonical(p);
    byte[] sig = base64(set.get("SignedEntryTimestamp").asText(), "the SignedEntryTimestamp of its Rekor SET");
    boolean verified = false;
    for (PublicKey k : rekorKeys) {
      try {
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(k);
        v.update(canonical);
        verified |= v.verify(sig);
      } catch (GeneralSecurityException e) {
        // not by this key
      }
    }
    if (!verified) {
      throw new TrustException("cryptographic signature verification of its Rekor SET failed (not by a Rekor key of"
          + " the policy)");
    }
    JsonNode body = parse(base64(p.get("body").asText(), "the body of its Rekor SET"), "the body of its Rekor SET");
    if (!"0.0.1".equals(body.path("apiVersion").asText(null)) || !"hashedrekord".equals(body.path("kind").asText())) {
      throw new TrustException("its Rekor entry is " + body.path("kind").asText("?") + " "
          + body.path("apiVersion").asText("?") + ", not a hashedrekord 0.0.1");
    }
    JsonNode spec = body.path("spec");
    byte[] entryKeyPem = base64(spec.path("signature").path("publicKey").path("content").asText(""),
        "the public key of its Rekor entry");
    byte[] entryKey = Pem.singleDer(entryKeyPem, "the public key of its Rekor entry");
    if (!Arrays.equals(entryKey, keyOrCertDer)) {
      throw new TrustException("its Rekor entry is for another key or certificate than the signature's");
    }
    byte[] entrySig = base64(spec.path("signature").path("content").asText(""), "the signature of its Rekor entry");
    if (!Arrays.equals(entrySig, base64(base64Signature, "its signature"))) {
      throw new TrustException("its Rekor entry is for another signature");
    }
    JsonNode hash = spec.path("data").path("hash");
    if (!"sha256".equals(hash.path("algorithm").asText())) {
      throw new TrustException("its Rekor entry hashes with " + hash.path("algorithm").asText("nothing")
          + ", not sha256");
    }
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(hash.path("value").asText(""));
    } catch (IllegalArgumentException e) {
      throw new TrustException("its Rekor entry's data.hash.value is not hex");
    }
    if (!Arrays.equals(expected, sha256(payload))) {
      throw new TrustException("its Rekor entry is for another artifact (data.hash sha256:" + hash.path("value").asText()
          + ", the payload is sha256:" + HexFormat.of().formatHex(sha256(payload)) + ")");
    }
    return Instant.ofEpochSecond(p.get("integratedTime").asLong());
  }

  /** RFC 8785's form of an object of strings and integers: keys sorted by UTF-16 code units, no spaces. */
  static byte[] canonical(JsonNode object) throws TrustException {
    StringBuilder out = new StringBuilder("{");
    TreeSet<String> keys = new TreeSet<>();
    object.fieldNames().forEachRemaining(keys::add);
    for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
      String k = it.next();
      JsonNode v = object.get(k);
      string(out, k);
      out.append(':');
      if (v.isTextual()) {
        string(out, v.asText());
      } else if (v.isIntegralNumber()) {
        out.append(v.bigIntegerValue());
      } else {
        throw new TrustException("its Rekor SET payload has a value that is neither a string nor an integer");
      }
      if (it.hasNext()) {
        out.append(',');
      }
    }
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A string as ECMAScript's JSON.stringify writes it, which RFC 8785 follows. */
  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static JsonNode parse(byte[] json, String what) throws TrustException {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new TrustException(what + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new TrustException(what + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static void exact(JsonNode n, String what, Set<String> fields) throws TrustException {
    if (n == null || !n.isObject()) {
      throw new TrustException(what + " is not a JSON object");
    }
    Set<String> got = new TreeSet<>();
    n.fieldNames().forEachRemaining(got::add);
    if (!got.equals(new TreeSet<>(fields))) {
      throw new TrustException(what + " has the fields " + got + ", not " + new TreeSet<>(fields));
    }
  }

  static byte[] base64(String text, String what) throws TrustException {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new TrustException(what + " is not base64");
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
