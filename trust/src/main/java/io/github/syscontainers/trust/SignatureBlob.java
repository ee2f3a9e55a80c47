package io.github.syscontainers.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored signature, in containers/image's long-term format (what its {@code dir:} transport, lookasides and
 * storage hold as {@code signature-N}): a "simple signing" OpenPGP message as it is, or a sigstore signature as a
 * zero byte, {@code sigstore-json}, a newline and the JSON of its MIME type, payload (base64) and annotations.
 *
 * <p>Immutable and thread-safe.
 */
sealed interface SignatureBlob permits SignatureBlob.SimpleSigning, SignatureBlob.Sigstore {
  /** The media type of a cosign signature layer, the only sigstore signatures policies accept. */
  String COSIGN_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  /** The annotation that holds a cosign signature, base64. */
  String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

  /** The bytes to store. */
  byte[] encoded();

  /** A GPG "simple signing" signature. */
  record SimpleSigning(byte[] message) implements SignatureBlob {
    @Override
    public byte[] encoded() {
      return message.clone();
    }
  }

  /** A sigstore signature: its layer's media type, the payload it signs, and the layer's annotations. */
  record Sigstore(String mimeType, byte[] payload, Map<String, String> annotations) implements SignatureBlob {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PREFIX = "\0sigstore-json\n".getBytes(StandardCharsets.US_ASCII);

    public Sigstore {
      annotations = Map.copyOf(annotations);
    }

    @Override
    public byte[] encoded() {
      ObjectNode o = JSON.createObjectNode();
      o.put("mimeType", mimeType);
      o.put("payload", Base64.getEncoder().encodeToString(payload));
      ObjectNode a = o.putObject("annotations");
      new java.util.TreeMap<>(annotations).forEach(a::put);
      try {
        byte[] json = JSON.writeValueAsBytes(o);
        byte[] out = Arrays.copyOf(PREFIX, PREFIX.length + json.length);
        System.arraycopy(json, 0, out, PREFIX.length, json.length);
        return out;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Reads a stored signature. A blob in the binary format of another signature kind is an error naming it.
   *
   * @throws TrustException when the blob is neither format
   */
  static SignatureBlob parse(byte[] blob) throws TrustException {
    if (blob.length == 0) {
      throw new TrustException("the signature is empty");
    }
    if (blob[0] != 0) {
      return new SimpleSigning(blob);
    }
    int nl = -1;
    for (int i = 1; i < blob.length && i < 64; i++) {
      if (blob[i] == '\n') {
        nl = i;
        break;
      }
    }
    if (nl < 0) {
      throw new TrustException("the signature has no format name");
    }
    String format = new String(blob, 1, nl - 1, StandardCharsets.US_ASCII);
    byte[] chunk = Arrays.copyOfRange(blob, nl + 1, blob.length);
    if (format.equals("simple-signing")) {
      return new SimpleSigning(chunk);
    }
    if (!format.equals("sigstore-json")) {
      throw new TrustException("the signature has the unknown format \"" + format.replaceAll("[^ -~]", "?") + "\"");
    }
    try {
      JsonNode o = Sigstore.JSON.readTree(chunk);
      if (o == null || !o.isObject() || !o.path("mimeType").isTextual() || !o.path("payload").isTextual()) {
        throw new TrustException("the sigstore signature lacks its mimeType or payload");
      }
      Map<String, String> annotations = new LinkedHashMap<>();
      JsonNode a = o.get("annotations");
      if (a != null && a.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          annotations.put(e.getKey(), e.getValue().asText());
        }
      }
      return new Sigstore(o.get("mimeType").asText(), Base64.getDecoder().decode(o.get("payload").asText()),
          annotations);
    } catch (IOException | IllegalArgumentException e) {
      throw new TrustException("the sigstore signature is not valid JSON: " + e.getMessage(), e);
    }
  }
}
