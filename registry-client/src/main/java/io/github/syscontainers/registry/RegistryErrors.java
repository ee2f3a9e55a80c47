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
    try {
      byte[] body = r.body().byteStream().readNBytes(MAX_BODY);
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && errors.size() > 0) {
        detail = errors.get(0).path("code").asText("") + ": " + errors.get(0).path("message").asText("");
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: the status line says enough
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
}
