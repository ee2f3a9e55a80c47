package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Reads Docker v2 schema 1 manifests, as c/image does: the digest of a signed one is taken over its JWS payload (the
 * bytes before the {@code signatures} key plus the {@code formatTail} every signature's protected header carries),
 * {@code fsLayers} and {@code history} pair up one to one, consecutive duplicate v1 IDs are dropped, and each
 * entry's {@code parent} must be the ID of the entry below it.
 *
 * @see <a href="https://github.com/distribution/distribution/blob/v2.8.3/docs/spec/manifest-v2-1.md">schema 1</a>
 */
final class Schema1Parser {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_LAYERS = 1000;

  private Schema1Parser() {}

  /** The bytes a schema 1 manifest's digest is computed over: the JWS payload when signed, else all of them. */
  static byte[] payload(byte[] bytes, JsonNode root, String what) throws RegistryException {
    JsonNode sigs = root.path("signatures");
    if (!sigs.isArray() || sigs.isEmpty()) {
      return bytes;
    }
    byte[] payload = null;
    for (JsonNode sig : sigs) {
      byte[] p = payloadOf(bytes, sig, what);
      if (payload != null && !Arrays.equals(payload, p)) {
        throw new RegistryException(
            "The signatures of the schema 1 manifest of " + what + " disagree on its payload; the manifest is corrupt");
      }
      payload = p;
    }
    return payload;
  }

  private static byte[] payloadOf(byte[] bytes, JsonNode sig, String what) throws RegistryException {
    try {
      JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(padless(sig.path("protected").asText(""))));
      if (header == null || !header.path("formatLength").canConvertToInt() || !header.path("formatTail").isTextual()) {
        throw new RegistryException(
            "A signature of the schema 1 manifest of " + what + " has no formatLength/formatTail; it is corrupt");
      }
      int length = header.path("formatLength").asInt();
      if (length < 0 || length > bytes.length) {
        throw new RegistryException(
            "A signature of the schema 1 manifest of " + what + " gives formatLength " + length + " for "
                + bytes.length + " bytes; the manifest is corrupt");
      }
      byte[] tail = Base64.getUrlDecoder().decode(padless(header.path("formatTail").asText()));
      byte[] out = Arrays.copyOf(bytes, length + tail.length);
      System.arraycopy(tail, 0, out, length, tail.length);
      return out;
    } catch (IOException | IllegalArgumentException e) {
      throw new RegistryException(
          "A signature of the schema 1 manifest of " + what + " is not valid base64url JSON: " + e.getMessage(), e);
    }
  }

  private static String padless(String b64) {
    int end = b64.length();
    while (end > 0 && b64.charAt(end - 1) == '=') {
      end--;
    }
    return b64.substring(0, end);
  }

  /** Parses a schema 1 manifest already read as {@code root} from {@code bytes}. */
  static Manifest.Schema1 parse(byte[] bytes, JsonNode root, String what) throws RegistryException {
    JsonNode fsLayers = root.path("fsLayers");
    JsonNode history = root.path("history");
    if (!fsLayers.isArray() || fsLayers.isEmpty()) {
      throw new RegistryException("The schema 1 manifest of " + what + " lists no fsLayers; the image is malformed");
    }
    if (!history.isArray() || history.size() != fsLayers.size()) {
      throw new RegistryException(
          "The schema 1 manifest of " + what + " has " + fsLayers.size() + " fsLayers but "
              + (history.isArray() ? history.size() : 0) + " history entries; the image is malformed");
    }
    if (fsLayers.size() > MAX_LAYERS) {
      throw new RegistryException(
          "The schema 1 manifest of " + what + " lists " + fsLayers.size() + " layers, over the limit of " + MAX_LAYERS);
    }
    List<Digest> blobs = new ArrayList<>();
    List<String> compat = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<String> parents = new ArrayList<>();
    for (int i = 0; i < fsLayers.size(); i++) {
      String v1 = history.get(i).path("v1Compatibility").asText("");
      JsonNode entry = readEntry(v1, i, what);
      String id = entry.path("id").asText("");
      if (!id.matches("[0-9a-f]{64}")) {
        throw new RegistryException(
            "History entry " + i + " of the schema 1 manifest of " + what + " has an invalid v1 id '" + id + "'");
      }
      if (!ids.isEmpty() && ids.get(ids.size() - 1).equals(id)) {
        continue; // c/image's fixManifestLayers: a repeated entry is the same layer listed twice
      }
      Digest blob;
      try {
        blob = Digest.parse(fsLayers.get(i).path("blobSum").asText(""));
      } catch (IllegalArgumentException e) {
        throw new RegistryException(
            "fsLayers entry " + i + " of the schema 1 manifest of " + what + " has an invalid blobSum: "
                + e.getMessage(), e);
      }
      blobs.add(blob);
      compat.add(v1);
      ids.add(id);
      parents.add(entry.path("parent").asText(""));
    }
    for (int i = 0; i < ids.size(); i++) {
      String below = i + 1 < ids.size() ? ids.get(i + 1) : "";
      if (!parents.get(i).equals(below)) {
        throw new RegistryException(
            "History entry " + i + " of the schema 1 manifest of " + what + " names parent '" + parents.get(i)
                + "' but the entry below it is '" + below + "'; the image is malformed");
      }
    }
    Collections.reverse(blobs);
    Collections.reverse(compat);
    boolean signed = root.path("signatures").isArray() && !root.path("signatures").isEmpty();
    return new Manifest.Schema1(
        signed ? MediaType.DOCKER_MANIFEST_V1_SIGNED : MediaType.DOCKER_MANIFEST_V1,
        Digest.sha256Of(payload(bytes, root, what)),
        blobs,
        compat);
  }

  private static JsonNode readEntry(String v1, int i, String what) throws RegistryException {
    try {
      JsonNode entry = JSON.readTree(v1);
      if (entry != null && entry.isObject()) {
        return entry;
      }
    } catch (IOException e) {
      // reported below
    }
    throw new RegistryException(
        "History entry " + i + " of the schema 1 manifest of " + what + " is not a v1Compatibility JSON object");
  }
}
