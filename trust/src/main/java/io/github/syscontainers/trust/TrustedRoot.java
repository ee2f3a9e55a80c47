package io.github.syscontainers.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Sigstore {@code trusted_root.json} (the protobuf-specs TrustedRoot in JSON, as cosign and sigstore-java read
 * it): the certificates of its certificate authorities (Fulcio) and the public keys of its transparency logs
 * (Rekor). Read to install them in a policy; the CT logs and timestamp authorities it may list are not used.
 *
 * @param cas every certificate of every CA's chain, intermediates and roots
 * @param rekorKeys the public keys of the transparency logs
 */
public record TrustedRoot(List<X509Certificate> cas, List<PublicKey> rekorKeys) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX = 1 << 20;

  public TrustedRoot {
    cas = List.copyOf(cas);
    rekorKeys = List.copyOf(rekorKeys);
  }

  /** Reads {@code json}; {@code where} names it in messages. */
  public static TrustedRoot parse(byte[] json, String where) throws TrustException {
    if (json.length > MAX) {
      throw new TrustException(where + " is over 1 MiB; that is no trusted root");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new TrustException(where + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("mediaType").asText().startsWith("application/vnd.dev.sigstore.trustedroot")) {
      throw new TrustException(where + " is not a Sigstore trusted root (its mediaType is not"
          + " application/vnd.dev.sigstore.trustedroot+json)");
    }
    List<X509Certificate> cas = new ArrayList<>();
    for (JsonNode ca : root.path("certificateAuthorities")) {
      for (JsonNode c : ca.path("certChain").path("certificates")) {
        cas.add(Pem.certificate(bytes(c.path("rawBytes"), where), where));
      }
    }
    List<PublicKey> logs = new ArrayList<>();
    for (JsonNode t : root.path("tlogs")) {
      byte[] der = bytes(t.path("publicKey").path("rawBytes"), where);
      logs.addAll(PemPublicKeys.parse(("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
          + "\n-----END PUBLIC KEY-----\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), where));
    }
    if (cas.isEmpty() || logs.isEmpty()) {
      throw new TrustException(where + " names " + cas.size() + " CA certificates and " + logs.size()
          + " transparency logs; keyless verification needs both");
    }
    return new TrustedRoot(cas, logs);
  }

  private static byte[] bytes(JsonNode n, String where) throws TrustException {
    if (!n.isTextual()) {
      throw new TrustException(where + " has an entry without rawBytes");
    }
    try {
      return Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new TrustException(where + " has rawBytes that are not base64");
    }
  }
}
