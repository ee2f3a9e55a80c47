package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import okhttp3.Response;

/** Turns an unsuccessful registry response into a {@link RegistryException} that quotes the registry's error code. */
final class RegistryErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private RegistryErrors() {}

  static RegistryException of(Response r, String action) {
    String detail = "";
    byte[] body = new byte[0];
    try {
      body = r.body().byteStream().readNBytes(MAX_BODY);
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && errors.size() > 0) {
        detail = errors.get(0).path("code").asText("") + ": " + errors.get(0).path("message").asText("");
      }
    } catch (IOException | RuntimeException e) {
      detail = snippet(body); // not JSON, for example a proxy's HTML page: quote its start
    }
    String remedy;
    switch (r.code()) {
      case 401:
      case 403:
        remedy = "; check the credentials (--creds or --authfile)";
        break;
      case 404:
        remedy = "; check the image name and tag";
        break;
      default:
        remedy = "";
    }
    return new RegistryException(
        "Tried to " + action + " but the registry answered HTTP " + r.code() + (detail.isEmpty() ? "" : " " + detail)
            + remedy);
  }

  /** The first bytes of a body as one printable line, quoted. */
  private static String snippet(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 120), java.nio.charset.StandardCharsets.UTF_8)
        .replaceAll("\\s+", " ").replaceAll("[^\\x20-\\x7E]", "?").trim();
    return text.isEmpty() ? "" : "(body: \"" + text + (body.length > 120 ? "…" : "") + "\")";
  }
}
