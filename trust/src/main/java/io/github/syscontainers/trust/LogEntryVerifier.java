package io.github.syscontainers.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a bundle's transparency log entry offline, as sigstore-js does: the inclusion promise (a SET by the log's
 * key over the RFC 8785 form of body, integratedTime, logID and logIndex) and the inclusion proof (the entry's RFC
 * 6962 leaf hash chained through the proof's hashes to the root of a checkpoint that the log's key signed, as a
 * signed note). The log is chosen by the entry's log ID, the SHA-256 of its public key; a checkpoint signature by its
 * key hint, the first four bytes of that ID.
 *
 * <p>Immutable and thread-safe.
 */
final class LogEntryVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEPARATOR = "\n\n";

  private final List<PublicKey> logKeys;

  LogEntryVerifier(List<PublicKey> logKeys) {
    this.logKeys = List.copyOf(logKeys);
  }

  /** Whether the entry's inclusion was verified by a promise (the entry's time is then trusted) or a proof only. */
  enum Inclusion { PROMISE, PROOF }

  Inclusion verify(SigstoreBundle.TlogEntry e) throws TrustException {
    PublicKey log = logKeys.stream().filter(k -> Arrays.equals(RekorSet.sha256(k.getEncoded()), e.keyId()))
        .findFirst().orElseThrow(() -> new TrustException("its log entry is from the log "
            + HexFormat.of().formatHex(e.keyId()) + ", which is not a Rekor key of the policy"));
    if (e.set().isPresent()) {
      ObjectNode p = JsonNodeFactory.instance.objectNode();
      p.put("body", Base64.getEncoder().encodeToString(e.body()));
      p.put("integratedTime", e.integratedTime());
      p.put("logID", HexFormat.of().formatHex(e.keyId()));
      p.put("logIndex", e.logIndex());
      if (!verify(log, RekorSet.canonical(p), e.set().get())) {
        throw new TrustException("the inclusion promise of its log entry could not be verified");
      }
    }
    if (e.proof().isPresent()) {
      proof(e, e.proof().get(), log);
    }
    if (e.set().isEmpty() && e.proof().isEmpty()) {
      throw new TrustException("the inclusion of its log entry could not be verified: no promise, no proof");
    }
    return e.set().isPresent() ? Inclusion.PROMISE : Inclusion.PROOF;
  }

  private static void proof(SigstoreBundle.TlogEntry e, SigstoreBundle.InclusionProof p, PublicKey log)
      throws TrustException {
    String envelope = p.checkpoint();
    int split = envelope.indexOf(SEPARATOR);
    if (split < 0) {
      throw new TrustException("the checkpoint of its inclusion proof has no signature");
    }
    String note = envelope.substring(0, split + 1);
    byte[] hint = Arrays.copyOf(RekorSet.sha256(log.getEncoded()), 4);
    boolean signed = false;
    for (String line : envelope.substring(split + SEPARATOR.length()).split("\n")) {
      if (!line.startsWith("\u2014 ")) {
        continue;
      }
      String[] parts = line.split(" ");
      if (parts.length != 3) {
        continue;
      }
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(parts[2]);
      } catch (IllegalArgumentException ex) {
        continue;
      }
      if (sig.length > 4 && Arrays.equals(Arrays.copyOf(sig, 4), hint)
          && verify(log, note.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(sig, 4, sig.length))) {
        signed = true;
      }
    }
    if (!signed) {
      throw new TrustException("the checkpoint of its inclusion proof is not signed by the log's key");
    }
    String[] lines = note.split("\n");
    if (lines.length < 3) {
      throw new TrustException("the checkpoint of its inclusion proof has too few lines");
    }
    long size;
    byte[] root;
    try {
      size = Long.parseLong(lines[1]);
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException ex) {
      throw new TrustException("the checkpoint of its inclusion proof is malformed");
    }
    long index = p.logIndex();
    if (index < 0 || index >= size) {
      throw new TrustException("its inclusion proof is for index " + index + " of a tree of " + size);
    }
    int inner = bitLength(BigInteger.valueOf(index ^ (size - 1)));
    int border = Long.bitCount(index >>> inner);
    if (p.hashes().size() != inner + border) {
      throw new TrustException("its inclusion proof has " + p.hashes().size() + " hashes where " + (inner + border)
          + " are needed");
    }
    byte[] h = hash((byte) 0, e.body(), null);
    for (int i = 0; i < inner; i++) {
      h = ((index >>> i) & 1) == 1 ? hash((byte) 1, p.hashes().get(i), h) : hash((byte) 1, h, p.hashes().get(i));
    }
    for (int i = inner; i < inner + border; i++) {
      h = hash((byte) 1, p.hashes().get(i), h);
    }
    if (!Arrays.equals(h, root)) {
      throw new TrustException("its inclusion proof does not lead to the root hash of the log's checkpoint");
    }
  }

  private static int bitLength(BigInteger n) {
    return n.signum() == 0 ? 0 : n.bitLength();
  }

  private static byte[] hash(byte prefix, byte[] a, byte[] b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(prefix);
      d.update(a);
      if (b != null) {
        d.update(b);
      }
      return d.digest();
    } catch (java.security.NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    return SigstoreKeys.verifies(key, data, signature);
  }

  /** The entry's body, checked to be for this content: kind and version, signature, digest, and key or certificate. */
  static void bodyMatches(SigstoreBundle.TlogEntry e, SigstoreBundle.Content content, Optional<byte[]> keyOrCertDer)
      throws TrustException {
    JsonNode body;
    try {
      body = JSON.readTree(e.body());
    } catch (IOException ex) {
      throw new TrustException("its log entry is not valid JSON", ex);
    }
    if (!e.kind().equals(body.path("kind").asText()) || !e.version().equals(body.path("apiVersion").asText())) {
      throw new TrustException("its log entry is a " + body.path("kind").asText() + " "
          + body.path("apiVersion").asText() + " where the bundle says " + e.kind() + " " + e.version());
    }
    JsonNode spec = body.path("spec");
    byte[] sig;
    byte[] digest;
    String verifier;
    if (content instanceof SigstoreBundle.Dsse && e.kind().equals("dsse") && e.version().equals("0.0.1")) {
      SigstoreBundle.Dsse d = (SigstoreBundle.Dsse) content;
      if (spec.path("signatures").size() != 1) {
        throw new TrustException("its dsse log entry has " + spec.path("signatures").size() + " signatures, not one");
      }
      sig = RekorSet.base64(spec.path("signatures").get(0).path("signature").asText(""), "its log entry's signature");
      verifier = spec.path("signatures").get(0).path("verifier").asText("");
      digest = hex(spec.path("payloadHash").path("value").asText(""));
      if (!Arrays.equals(sig, d.signature()) || !Arrays.equals(digest, RekorSet.sha256(d.payload()))) {
        throw new TrustException("its log entry is for another signature or payload");
      }
    } else if (content instanceof SigstoreBundle.MessageSignature && e.kind().equals("hashedrekord")
        && e.version().equals("0.0.1")) {
      SigstoreBundle.MessageSignature m = (SigstoreBundle.MessageSignature) content;
      sig = RekorSet.base64(spec.path("signature").path("content").asText(""), "its log entry's signature");
      verifier = spec.path("signature").path("publicKey").path("content").asText("");
      digest = hex(spec.path("data").path("hash").path("value").asText(""));
      if (!Arrays.equals(sig, m.signature()) || !Arrays.equals(digest, m.digest())) {
        throw new TrustException("its log entry is for another artifact or signature");
      }
    } else {
      throw new TrustException("its log entry is a " + e.kind() + " " + e.version() + ", which does not record a "
          + (content instanceof SigstoreBundle.Dsse ? "DSSE envelope" : "message signature"));
    }
    if (keyOrCertDer.isPresent()) {
      byte[] pem = RekorSet.base64(verifier, "its log entry's verifier");
      if (!Arrays.equals(Pem.singleDer(pem, "its log entry's verifier"), keyOrCertDer.get())) {
        throw new TrustException("its log entry is for another certificate or key");
      }
    }
  }

  private static byte[] hex(String s) throws TrustException {
    try {
      return HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException ex) {
      throw new TrustException("its log entry has a digest that is not hex");
    }
  }
}
