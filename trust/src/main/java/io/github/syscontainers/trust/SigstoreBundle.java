package io.github.syscontainers.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore bundle (protobuf-specs {@code Bundle} in JSON, media types {@code application/vnd.dev.sigstore.bundle+json;
 * version=0.1} to {@code 0.3}), as cosign 3 attaches one to an image: the verification material (a certificate, a
 * chain of them, or a public key hint), the transparency log entries, and the content: a message signature or a DSSE
 * envelope. Read strictly, with every count and size capped; verified by {@link BundleVerifier}.
 *
 * <p>Immutable and thread-safe.
 */
record SigstoreBundle(String mediaType, List<byte[]> certificates, Optional<String> publicKeyHint,
    List<TlogEntry> entries, Content content) {
  /** The most a bundle may weigh, as a signature (containers/image caps signatures at 4 MiB). */
  static final int MAX_BUNDLE = 4 << 20;
  static final int MAX_ENTRIES = 8;
  static final int MAX_PROOF = 64;
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  SigstoreBundle {
    certificates = List.copyOf(certificates);
    entries = List.copyOf(entries);
  }

  /** What a bundle signs. */
  sealed interface Content permits MessageSignature, Dsse {}

  /** A signature over an artifact whose digest is given. */
  record MessageSignature(String algorithm, byte[] digest, byte[] signature) implements Content {}

  /** A DSSE envelope with its one signature. */
  record Dsse(String payloadType, byte[] payload, byte[] signature) implements Content {}

  /** One transparency log entry; {@code set} is the inclusion promise, {@code proof} the inclusion proof. */
  record TlogEntry(long logIndex, byte[] keyId, String kind, String version, long integratedTime, byte[] body,
      Optional<byte[]> set, Optional<InclusionProof> proof) {}

  /** An RFC 6962 inclusion proof and the signed checkpoint it is for. */
  record InclusionProof(long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, String checkpoint) {}

  /** Whether {@code mediaType} names a bundle. */
  static boolean isBundle(String mediaType) {
    return mediaType.startsWith("application/vnd.dev.sigstore.bundle");
  }

  static SigstoreBundle parse(byte[] json) throws TrustException {
    if (json.length > MAX_BUNDLE) {
      throw new TrustException("the bundle is over the 4 MiB limit");
    }
    JsonNode b;
    try {
      b = JSON.readTree(json);
    } catch (IOException e) {
      throw new TrustException("the bundle is not valid JSON: " + e.getMessage(), e);
    }
    if (b == null || !b.isObject()) {
      throw new TrustException("the bundle is not a JSON object");
    }
    String mediaType = b.path("mediaType").asText("");
    int version = version(mediaType);
    JsonNode vm = b.path("verificationMaterial");
    List<byte[]> certs = new ArrayList<>();
    Optional<String> hint = Optional.empty();
    if (vm.has("certificate")) {
      certs.add(bytes(vm.path("certificate").path("rawBytes"), "its certificate"));
    } else if (vm.has("x509CertificateChain")) {
      JsonNode list = vm.path("x509CertificateChain").path("certificates");
      if (list.size() > Pem.MAX_CERTIFICATES) {
        throw new TrustException("the bundle's chain holds " + list.size() + " certificates, more than "
            + Pem.MAX_CERTIFICATES);
      }
      for (JsonNode c : list) {
        certs.add(bytes(c.path("rawBytes"), "a certificate of its chain"));
      }
    } else if (vm.has("publicKey")) {
      hint = Optional.of(vm.path("publicKey").path("hint").asText(""));
    }
    if (certs.isEmpty() && hint.isEmpty()) {
      throw new TrustException("the bundle has no certificate and no public key in its verification material");
    }
    if (version >= 3 && vm.has("x509CertificateChain")) {
      throw new TrustException("a version 0.3 bundle carries one certificate, not a chain");
    }
    JsonNode tlogs = vm.path("tlogEntries");
    if (tlogs.size() > MAX_ENTRIES) {
      throw new TrustException("the bundle lists " + tlogs.size() + " log entries, more than " + MAX_ENTRIES);
    }
    List<TlogEntry> entries = new ArrayList<>();
    for (JsonNode t : tlogs) {
      entries.add(entry(t, version));
    }
    return new SigstoreBundle(mediaType, certs, hint, entries, content(b));
  }

  private static int version(String mediaType) throws TrustException {
    switch (mediaType) {
      case "application/vnd.dev.sigstore.bundle+json;version=0.1":
        return 1;
      case "application/vnd.dev.sigstore.bundle+json;version=0.2":
        return 2;
      case "application/vnd.dev.sigstore.bundle+json;version=0.3":
      case "application/vnd.dev.sigstore.bundle.v0.3+json":
        return 3;
      default:
        throw new TrustException("the bundle's media type \"" + mediaType + "\" is not a Sigstore bundle 0.1 to 0.3");
    }
  }

  private static TlogEntry entry(JsonNode t, int version) throws TrustException {
    Optional<byte[]> set = t.has("inclusionPromise")
        ? Optional.of(bytes(t.path("inclusionPromise").path("signedEntryTimestamp"), "its inclusion promise"))
        : Optional.empty();
    Optional<InclusionProof> proof = Optional.empty();
    if (t.has("inclusionProof")) {
      JsonNode p = t.path("inclusionProof");
      JsonNode hashes = p.path("hashes");
      if (hashes.size() > MAX_PROOF) {
        throw new TrustException("its inclusion proof has " + hashes.size() + " hashes, more than " + MAX_PROOF);
      }
      List<byte[]> hs = new ArrayList<>();
      for (JsonNode h : hashes) {
        hs.add(bytes(h, "a hash of its inclusion proof"));
      }
      proof = Optional.of(new InclusionProof(number(p.path("logIndex"), "the proof's logIndex"),
          bytes(p.path("rootHash"), "the proof's rootHash"), number(p.path("treeSize"), "the proof's treeSize"), hs,
          p.path("checkpoint").path("envelope").asText("")));
    }
    if (version == 1 && set.isEmpty()) {
      throw new TrustException("a version 0.1 bundle's log entry needs an inclusion promise");
    }
    if (version >= 2 && proof.isEmpty()) {
      throw new TrustException("a version 0.2 or later bundle's log entry needs an inclusion proof");
    }
    return new TlogEntry(number(t.path("logIndex"), "its logIndex"), bytes(t.path("logId").path("keyId"), "its logId"),
        t.path("kindVersion").path("kind").asText(""), t.path("kindVersion").path("version").asText(""),
        number(t.path("integratedTime"), "its integratedTime"), bytes(t.path("canonicalizedBody"), "its log entry"),
        set, proof);
  }

  private static Content content(JsonNode b) throws TrustException {
    if (b.has("messageSignature") == b.has("dsseEnvelope")) {
      throw new TrustException("the bundle must hold exactly one of messageSignature and dsseEnvelope");
    }
    if (b.has("messageSignature")) {
      JsonNode m = b.path("messageSignature");
      return new MessageSignature(m.path("messageDigest").path("algorithm").asText(""),
          bytes(m.path("messageDigest").path("digest"), "its message digest"), bytes(m.path("signature"),
              "its signature"));
    }
    JsonNode e = b.path("dsseEnvelope");
    if (e.path("signatures").size() != 1) {
      throw new TrustException("its DSSE envelope has " + e.path("signatures").size() + " signatures, not one");
    }
    return new Dsse(e.path("payloadType").asText(""), bytes(e.path("payload"), "its DSSE payload"),
        bytes(e.path("signatures").get(0).path("sig"), "its DSSE signature"));
  }

  private static long number(JsonNode n, String what) throws TrustException {
    // protobuf JSON writes 64-bit integers as strings
    try {
      if (n.isIntegralNumber()) {
        return n.longValue();
      }
      if (n.isTextual()) {
        return Long.parseLong(n.asText());
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new TrustException("the bundle's " + what + " is not an integer");
  }

  private static byte[] bytes(JsonNode n, String what) throws TrustException {
    if (!n.isTextual()) {
      throw new TrustException("the bundle lacks " + what);
    }
    return RekorSet.base64(n.asText(), "the bundle's " + what);
  }
}
